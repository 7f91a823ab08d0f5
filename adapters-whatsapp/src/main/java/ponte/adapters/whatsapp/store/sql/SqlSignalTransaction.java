package ponte.adapters.whatsapp.store.sql;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.PreparedBatch;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.signal.IdentityKey;
import ponte.adapters.whatsapp.signal.SenderKeyName;
import ponte.adapters.whatsapp.signal.SenderKeyRecord;
import ponte.adapters.whatsapp.signal.SessionRecord;
import ponte.adapters.whatsapp.signal.SignalAddress;
import ponte.adapters.whatsapp.store.SignalStateConflictException;
import ponte.adapters.whatsapp.store.SignalTransaction;
import ponte.application.port.out.SecretCipher;

/**
 * A {@link SignalTransaction} on the device store's tables: each record is read once (with its row version) and
 * cached, writes stay in the cache until {@link #commit()} flushes them in one transaction, sealed. See
 * {@link SignalTransaction} for the design and V2__signal_state.sql for the tables.
 */
final class SqlSignalTransaction implements SignalTransaction {

    static final int MAX_KEY_LENGTH = 512;
    /** PostgreSQL's deadlock and serialization failures: another unit won, this one may simply run again. */
    private static final Set<String> RETRYABLE = Set.of("40P01", "40001");

    private final UUID deviceId;
    private final Jdbi jdbi;
    private final SecretCipher cipher;
    private final Clock clock;

    private OwnKeys own;
    private final Map<SignalAddress, Versioned<SessionRecord>> sessions = new HashMap<>();
    private final Map<SignalAddress, Optional<IdentityKey>> identities = new HashMap<>();
    private final Set<SignalAddress> identitiesWritten = new TreeSet<>(
            Comparator.comparing(SignalAddress::toString));
    private final Map<Integer, Optional<KeyPair>> preKeys = new HashMap<>();
    private final Set<Integer> consumedPreKeys = new TreeSet<>();
    private final Map<SenderKeyName, Versioned<SenderKeyRecord>> senderKeys = new HashMap<>();
    private final Map<String, byte[]> kept = new LinkedHashMap<>();
    /** Per group: the holders of our sender key as read, with this unit's additions and clearing applied. */
    private final Map<String, Set<SignalAddress>> holders = new HashMap<>();
    private final Map<String, Set<SignalAddress>> holdersAdded = new TreeMap<>();
    private final Set<String> holdersCleared = new TreeSet<>();
    private boolean finished;
    /** Checked first in the commit's transaction: a node that lost the instance's lease writes nothing. */
    private final DeviceFence fence;

    SqlSignalTransaction(UUID deviceId, Jdbi jdbi, SecretCipher cipher, Clock clock, DeviceFence fence) {
        this.deviceId = deviceId;
        this.jdbi = jdbi;
        this.cipher = cipher;
        this.clock = clock;
        this.fence = fence;
    }

    /** A record as read, with the row version it had (0 when there was no row) and whether this unit changed it. */
    private static final class Versioned<T> {
        final long version;
        T value;
        boolean dirty;

        Versioned(long version, T value) {
            this.version = version;
            this.value = value;
        }
    }

    private record OwnKeys(KeyPair identity, int registrationId, int signedPreKeyId, KeyPair signedPreKey) {
    }

    @Override
    public UUID deviceId() {
        return deviceId;
    }

    @Override
    public KeyPair identityKeyPair() {
        return own().identity();
    }

    @Override
    public int registrationId() {
        return own().registrationId();
    }

    @Override
    public Optional<KeyPair> signedPreKey(int id) {
        OwnKeys keys = own();
        return keys.signedPreKeyId() == id ? Optional.of(keys.signedPreKey()) : Optional.empty();
    }

    private OwnKeys own() {
        if (own == null) {
            own = jdbi.withHandle(handle -> handle.createQuery("""
                    select identity_private_sealed, identity_public, registration_id, signed_prekey_id,
                           signed_prekey_private_sealed, signed_prekey_public
                    from whatsapp_store.device where device_id = :id""")
                    .bind("id", deviceId)
                    .map((rs, ctx) -> new OwnKeys(new KeyPair(cipher.open(rs.getBytes(1)), rs.getBytes(2)),
                            rs.getInt(3), rs.getInt(4), new KeyPair(cipher.open(rs.getBytes(5)), rs.getBytes(6))))
                    .findOne())
                    .orElseThrow(() -> new IllegalStateException("no device " + deviceId + " in the device store"));
        }
        return own;
    }

    @Override
    public Optional<SessionRecord> session(SignalAddress address) {
        return Optional.ofNullable(sessionSlot(address).value);
    }

    @Override
    public void storeSession(SignalAddress address, SessionRecord record) {
        open();
        var slot = sessionSlot(address);
        slot.value = record;
        slot.dirty = true;
    }

    @Override
    public void deleteSession(SignalAddress address) {
        open();
        var slot = sessionSlot(address);
        if (slot.value != null || slot.version != 0) {
            slot.value = null;
            slot.dirty = true;
        }
    }

    @Override
    public Set<SignalAddress> senderKeyHolders(String groupId) {
        return Set.copyOf(holderSlot(groupId));
    }

    @Override
    public void addSenderKeyHolders(String groupId, Collection<SignalAddress> added) {
        open();
        holderSlot(groupId).addAll(added);
        holdersAdded.computeIfAbsent(groupId, g -> new TreeSet<>(Comparator.comparing(SignalAddress::toString)))
                .addAll(added);
    }

    @Override
    public void clearSenderKeyHolders(String groupId) {
        open();
        holderSlot(groupId).clear();
        holdersAdded.remove(groupId);
        holdersCleared.add(groupId);
    }

    private Set<SignalAddress> holderSlot(String groupId) {
        return holders.computeIfAbsent(groupId, g -> new HashSet<>(jdbi.withHandle(handle -> handle.createQuery("""
                select holder_name, holder_device from whatsapp_store.sender_key_holder
                where device_id = :id and group_id = :group""")
                .bind("id", deviceId)
                .bind("group", g)
                .map((rs, ctx) -> SignalAddress.parse(rs.getString(1) + "." + rs.getInt(2)))
                .list())));
    }

    private Versioned<SessionRecord> sessionSlot(SignalAddress address) {
        return sessions.computeIfAbsent(address, a -> jdbi.withHandle(handle -> handle.createQuery("""
                select record_sealed, version from whatsapp_store.signal_session
                where device_id = :id and peer_name = :name and peer_device = :device""")
                .bind("id", deviceId)
                .bind("name", a.name())
                .bind("device", a.device())
                .map((rs, ctx) -> new Versioned<>(rs.getLong(2), SessionRecord.parse(cipher.open(rs.getBytes(1)))))
                .findOne()
                .orElseGet(() -> new Versioned<>(0, null))));
    }

    @Override
    public Optional<IdentityKey> identity(SignalAddress address) {
        return identities.computeIfAbsent(address, a -> jdbi.withHandle(handle -> handle.createQuery("""
                select identity_key from whatsapp_store.signal_identity
                where device_id = :id and peer_name = :name and peer_device = :device""")
                .bind("id", deviceId)
                .bind("name", a.name())
                .bind("device", a.device())
                .map((rs, ctx) -> new IdentityKey(rs.getBytes(1)))
                .findOne()));
    }

    @Override
    public void storeIdentity(SignalAddress address, IdentityKey identity) {
        open();
        identities.put(address, Optional.of(identity));
        identitiesWritten.add(address);
    }

    @Override
    public Optional<KeyPair> preKey(int id) {
        if (consumedPreKeys.contains(id)) {
            return Optional.empty();
        }
        return preKeys.computeIfAbsent(id, keyId -> jdbi.withHandle(handle -> handle.createQuery("""
                select private_sealed, public_key from whatsapp_store.device_prekey
                where device_id = :id and key_id = :keyId""")
                .bind("id", deviceId)
                .bind("keyId", keyId)
                .map((rs, ctx) -> new KeyPair(cipher.open(rs.getBytes(1)), rs.getBytes(2)))
                .findOne()));
    }

    @Override
    public void removePreKey(int id) {
        open();
        if (preKey(id).isPresent()) {
            consumedPreKeys.add(id);
        }
    }

    @Override
    public Optional<SenderKeyRecord> senderKey(SenderKeyName name) {
        return Optional.ofNullable(senderKeySlot(name).value);
    }

    @Override
    public void storeSenderKey(SenderKeyName name, SenderKeyRecord record) {
        open();
        var slot = senderKeySlot(name);
        slot.value = record;
        slot.dirty = true;
    }

    private Versioned<SenderKeyRecord> senderKeySlot(SenderKeyName name) {
        return senderKeys.computeIfAbsent(name, n -> jdbi.withHandle(handle -> handle.createQuery("""
                select record_sealed, version from whatsapp_store.signal_sender_key
                where device_id = :id and group_id = :group and sender_name = :name and sender_device = :device""")
                .bind("id", deviceId)
                .bind("group", n.groupId())
                .bind("name", n.sender().name())
                .bind("device", n.sender().device())
                .map((rs, ctx) -> new Versioned<>(rs.getLong(2),
                        SenderKeyRecord.parse(cipher.open(rs.getBytes(1)))))
                .findOne()
                .orElseGet(() -> new Versioned<>(0, null))));
    }

    @Override
    public void keepMessage(String key, byte[] payload) {
        open();
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("a kept message's key is 1.." + MAX_KEY_LENGTH + " characters");
        }
        if (kept.putIfAbsent(key, payload.clone()) != null) {
            throw new IllegalStateException("this unit already keeps a message under " + key);
        }
    }

    @Override
    public void commit() {
        open();
        finished = true;
        Instant now = clock.instant();
        // seal before the transaction opens, so it holds its locks only for the statements
        Map<SignalAddress, byte[]> sealedSessions = sealDirty(sessions, SessionRecord::serialize);
        Map<SenderKeyName, byte[]> sealedSenderKeys = sealDirty(senderKeys, SenderKeyRecord::serialize);
        Map<String, byte[]> sealedKept = new LinkedHashMap<>();
        kept.forEach((key, payload) -> sealedKept.put(key, cipher.seal(payload)));
        Map<SignalAddress, Long> deletedSessions = new TreeMap<>(Comparator.comparing(SignalAddress::toString));
        sessions.forEach((address, slot) -> {
            if (slot.dirty && slot.value == null && slot.version != 0) {
                deletedSessions.put(address, slot.version);
            }
        });
        if (sealedSessions.isEmpty() && deletedSessions.isEmpty() && sealedSenderKeys.isEmpty()
                && identitiesWritten.isEmpty() && consumedPreKeys.isEmpty() && sealedKept.isEmpty()
                && holdersAdded.isEmpty() && holdersCleared.isEmpty()) {
            return;
        }
        try {
            jdbi.useTransaction(handle -> {
                fence.check(handle, deviceId);
                writeIdentities(handle, now);
                writeSessions(handle, sealedSessions, now);
                deleteSessions(handle, deletedSessions);
                writeHolders(handle);
                writeSenderKeys(handle, sealedSenderKeys, now);
                consumePreKeys(handle);
                keepMessages(handle, sealedKept, now);
            });
        } catch (JdbiException e) {
            if (e.getCause() instanceof SQLException sql && RETRYABLE.contains(sql.getSQLState())) {
                throw new SignalStateConflictException("the device store aborted the unit (" + sql.getSQLState()
                        + "): another unit of the same device ran at the same time");
            }
            throw e;
        }
    }

    private void open() {
        if (finished) {
            throw new IllegalStateException("this Signal unit of work was already committed; begin a new one");
        }
    }

    private <K, T> Map<K, byte[]> sealDirty(Map<K, Versioned<T>> slots, Function<T, byte[]> bytes) {
        // one order for every unit, so two units updating the same rows wait for each other instead of deadlocking
        Map<K, byte[]> sealed = new TreeMap<>(Comparator.comparing(Object::toString));
        slots.forEach((key, slot) -> {
            if (slot.dirty && slot.value != null) {
                sealed.put(key, cipher.seal(bytes.apply(slot.value)));
            }
        });
        return sealed;
    }

    private void writeIdentities(Handle handle, Instant now) {
        if (identitiesWritten.isEmpty()) {
            return;
        }
        PreparedBatch batch = handle.prepareBatch("""
                insert into whatsapp_store.signal_identity (device_id, peer_name, peer_device, identity_key, updated_at)
                values (:id, :name, :device, :key, :now)
                on conflict (device_id, peer_name, peer_device)
                do update set identity_key = excluded.identity_key, updated_at = excluded.updated_at""");
        for (SignalAddress address : identitiesWritten) {
            batch.bind("id", deviceId).bind("name", address.name()).bind("device", address.device())
                    .bind("key", identities.get(address).orElseThrow().publicKey()).bind("now", now).add();
        }
        batch.execute();
    }

    private void writeSessions(Handle handle, Map<SignalAddress, byte[]> sealed, Instant now) {
        PreparedBatch inserts = handle.prepareBatch("""
                insert into whatsapp_store.signal_session
                    (device_id, peer_name, peer_device, record_sealed, version, updated_at)
                values (:id, :name, :device, :record, 1, :now)
                on conflict do nothing""");
        PreparedBatch updates = handle.prepareBatch("""
                update whatsapp_store.signal_session
                set record_sealed = :record, version = version + 1, updated_at = :now
                where device_id = :id and peer_name = :name and peer_device = :device and version = :version""");
        sealed.forEach((address, record) -> {
            long version = sessions.get(address).version;
            PreparedBatch batch = version == 0 ? inserts : updates.bind("version", version);
            batch.bind("id", deviceId).bind("name", address.name()).bind("device", address.device())
                    .bind("record", record).bind("now", now).add();
        });
        requireAllWritten(inserts, "a session was created meanwhile");
        requireAllWritten(updates, "a session was advanced meanwhile");
    }

    private void deleteSessions(Handle handle, Map<SignalAddress, Long> deleted) {
        PreparedBatch deletes = handle.prepareBatch("""
                delete from whatsapp_store.signal_session
                where device_id = :id and peer_name = :name and peer_device = :device and version = :version""");
        deleted.forEach((address, version) -> deletes.bind("id", deviceId).bind("name", address.name())
                .bind("device", address.device()).bind("version", version).add());
        requireAllWritten(deletes, "a session was advanced meanwhile");
    }

    private void writeHolders(Handle handle) {
        for (String group : holdersCleared) {
            handle.createUpdate("""
                    delete from whatsapp_store.sender_key_holder where device_id = :id and group_id = :group""")
                    .bind("id", deviceId).bind("group", group).execute();
        }
        if (holdersAdded.isEmpty()) {
            return;
        }
        PreparedBatch inserts = handle.prepareBatch("""
                insert into whatsapp_store.sender_key_holder (device_id, group_id, holder_name, holder_device)
                values (:id, :group, :name, :device)
                on conflict do nothing""");
        holdersAdded.forEach((group, added) -> added.forEach(address -> inserts.bind("id", deviceId)
                .bind("group", group).bind("name", address.name()).bind("device", address.device()).add()));
        inserts.execute();
    }

    private void writeSenderKeys(Handle handle, Map<SenderKeyName, byte[]> sealed, Instant now) {
        PreparedBatch inserts = handle.prepareBatch("""
                insert into whatsapp_store.signal_sender_key
                    (device_id, group_id, sender_name, sender_device, record_sealed, version, updated_at)
                values (:id, :group, :name, :device, :record, 1, :now)
                on conflict do nothing""");
        PreparedBatch updates = handle.prepareBatch("""
                update whatsapp_store.signal_sender_key
                set record_sealed = :record, version = version + 1, updated_at = :now
                where device_id = :id and group_id = :group and sender_name = :name and sender_device = :device
                  and version = :version""");
        sealed.forEach((name, record) -> {
            long version = senderKeys.get(name).version;
            PreparedBatch batch = version == 0 ? inserts : updates.bind("version", version);
            batch.bind("id", deviceId).bind("group", name.groupId()).bind("name", name.sender().name())
                    .bind("device", name.sender().device()).bind("record", record).bind("now", now).add();
        });
        requireAllWritten(inserts, "a sender key was created meanwhile");
        requireAllWritten(updates, "a sender key was advanced meanwhile");
    }

    private void consumePreKeys(Handle handle) {
        PreparedBatch deletes = handle.prepareBatch(
                "delete from whatsapp_store.device_prekey where device_id = :id and key_id = :keyId");
        consumedPreKeys.forEach(id -> deletes.bind("id", deviceId).bind("keyId", id).add());
        requireAllWritten(deletes, "a one-time prekey was consumed meanwhile");
    }

    private void keepMessages(Handle handle, Map<String, byte[]> sealed, Instant now) {
        PreparedBatch inserts = handle.prepareBatch("""
                insert into whatsapp_store.kept_message (device_id, message_key, payload_sealed, kept_at)
                values (:id, :key, :payload, :now)
                on conflict do nothing""");
        sealed.forEach((key, payload) -> inserts.bind("id", deviceId).bind("key", key).bind("payload", payload)
                .bind("now", now).add());
        requireAllWritten(inserts, "the message was kept already");
    }

    /** Runs the batch; a row it did not touch means another writer was first, and the transaction rolls back. */
    private static void requireAllWritten(PreparedBatch batch, String conflict) {
        if (batch.size() == 0) {
            return;
        }
        for (int count : batch.execute()) {
            if (count != 1) {
                throw new SignalStateConflictException(conflict);
            }
        }
    }
}
