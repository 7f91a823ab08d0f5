package ponte.adapters.whatsapp.store.sql;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.store.AccountStore;
import ponte.adapters.whatsapp.store.DeviceCredentials;
import ponte.adapters.whatsapp.store.DeviceStore;
import ponte.adapters.whatsapp.store.DeviceAccount;
import ponte.adapters.whatsapp.store.PreKey;
import ponte.adapters.whatsapp.store.PreKeyStore;
import ponte.adapters.whatsapp.store.PrivacyTokenStore;
import ponte.adapters.whatsapp.store.PollStore.KeptPoll;
import ponte.adapters.whatsapp.store.KeptMessage;
import ponte.adapters.whatsapp.store.LidMappingStore;
import ponte.adapters.whatsapp.store.SignalStateStore;
import ponte.adapters.whatsapp.store.SignalTransaction;
import ponte.adapters.whatsapp.store.SignedPreKey;
import ponte.adapters.whatsapp.store.StoredDevice;
import ponte.application.port.out.SecretCipher;

/**
 * The device store on PostgreSQL, in the schema {@code whatsapp_store} with its own Flyway history, so it migrates
 * apart from the application's and the sandbox's tables, in any order. Private keys and the ADV secret pass
 * through the {@link SecretCipher} on their way in and out; a database dump alone never reveals them. The Signal
 * state (sessions, identities, sender keys, kept messages) is written through {@link SqlSignalTransaction}, on the
 * same identity, signed prekey and one-time prekeys this store hands to the client for upload.
 */
public final class SqlDeviceStore implements DeviceStore, AccountStore, PreKeyStore, SignalStateStore,
        LidMappingStore, PrivacyTokenStore, ponte.adapters.whatsapp.store.AppStateStore,
        ponte.adapters.whatsapp.store.PollStore {

    private final Jdbi jdbi;
    private final SecretCipher cipher;
    private final Clock clock;
    private final DeviceFence fence;

    private SqlDeviceStore(Jdbi jdbi, SecretCipher cipher, Clock clock, DeviceFence fence) {
        this.jdbi = jdbi;
        this.cipher = cipher;
        this.clock = clock;
        this.fence = fence;
    }

    /**
     * This store, with every write of a device's state fenced by the lease of its instance (device id = instance
     * id): {@code epochs} answers the epoch of the lease this node holds, empty when it holds none. A write made
     * without a lease, or with an epoch lower than one another node wrote with since, fails with
     * {@link ponte.adapters.whatsapp.store.StaleEpochException} and keeps nothing (V9 {@code device_fence}).
     * Reads, and {@link #delete} (an instance deleted from any node), are not fenced.
     */
    public SqlDeviceStore fencedBy(java.util.function.Function<UUID, java.util.OptionalLong> epochs) {
        return new SqlDeviceStore(jdbi, cipher, clock, new DeviceFence(epochs));
    }

    /** A write of the device's state: one transaction, fenced first. */
    private void write(UUID deviceId, org.jdbi.v3.core.HandleConsumer<RuntimeException> work) {
        jdbi.useTransaction(handle -> {
            fence.check(handle, deviceId);
            work.useHandle(handle);
        });
    }

    public static SqlDeviceStore migrateAndOpen(DataSource dataSource, SecretCipher cipher, Clock clock) {
        Flyway.configure(SqlDeviceStore.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/whatsapp_store")
                .schemas("whatsapp_store")
                .table("flyway_whatsapp_store_history")
                .load()
                .migrate();
        return new SqlDeviceStore(Jdbi.create(dataSource), cipher, clock, DeviceFence.NONE);
    }

    @Override
    public Optional<StoredDevice> load(UUID deviceId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                select d.noise_private_sealed, d.identity_private_sealed, d.signed_prekey_id,
                       d.signed_prekey_private_sealed, d.signed_prekey_signature, d.registration_id,
                       d.adv_secret_sealed, a.jid, a.lid, a.platform, a.business_name, a.push_name, a.signed_identity
                from whatsapp_store.device d left join whatsapp_store.device_account a on a.device_id = d.device_id
                where d.device_id = :id""")
                .bind("id", deviceId)
                .map((rs, ctx) -> device(deviceId, rs))
                .findOne());
    }

    private StoredDevice device(UUID deviceId, ResultSet rs) throws SQLException {
        var credentials = new DeviceCredentials(
                KeyPair.fromPrivate(cipher.open(rs.getBytes(1))),
                KeyPair.fromPrivate(cipher.open(rs.getBytes(2))),
                new SignedPreKey(rs.getInt(3), KeyPair.fromPrivate(cipher.open(rs.getBytes(4))), rs.getBytes(5)),
                rs.getInt(6),
                cipher.open(rs.getBytes(7)));
        Optional<DeviceAccount> account = rs.getString(8) == null ? Optional.empty()
                : Optional.of(new DeviceAccount(rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11),
                        rs.getString(12), rs.getBytes(13)));
        return new StoredDevice(deviceId, credentials, account);
    }

    @Override
    public void create(UUID deviceId, DeviceCredentials credentials) {
        write(deviceId, handle -> handle.createUpdate("""
                insert into whatsapp_store.device (device_id, noise_private_sealed, noise_public,
                    identity_private_sealed, identity_public, signed_prekey_id, signed_prekey_private_sealed, signed_prekey_public,
                    signed_prekey_signature, registration_id, adv_secret_sealed, created_at)
                values (:id, :noisePrivate, :noisePublic, :identityPrivate, :identityPublic, :spkId, :spkPrivate,
                    :spkPublic, :spkSignature, :registrationId, :advSecret, :now)""")
                .bind("id", deviceId)
                .bind("noisePrivate", cipher.seal(credentials.noiseKey().privateKey()))
                .bind("noisePublic", credentials.noiseKey().publicKey())
                .bind("identityPrivate", cipher.seal(credentials.identityKey().privateKey()))
                .bind("identityPublic", credentials.identityKey().publicKey())
                .bind("spkId", credentials.signedPreKey().id())
                .bind("spkPrivate", cipher.seal(credentials.signedPreKey().keyPair().privateKey()))
                .bind("spkPublic", credentials.signedPreKey().keyPair().publicKey())
                .bind("spkSignature", credentials.signedPreKey().signature())
                .bind("registrationId", credentials.registrationId())
                .bind("advSecret", cipher.seal(credentials.advSecret()))
                .bind("now", clock.instant())
                .execute());
    }

    @Override
    public void replaceAdvSecret(UUID deviceId, byte[] advSecret) {
        write(deviceId, handle -> handle.createUpdate(
                "update whatsapp_store.device set adv_secret_sealed = :secret where device_id = :id")
                .bind("id", deviceId)
                .bind("secret", cipher.seal(advSecret))
                .execute());
    }

    @Override
    public void delete(UUID deviceId) {
        // accounts, prekeys and the whole Signal state cascade. The cascade locks the device row, then its Signal
        // rows; a Signal commit still running (a message decrypted as the device logs out) holds its session rows
        // and waits for the device row (its foreign key): PostgreSQL breaks that deadlock by aborting one side, and
        // when it is this delete, it is run again once the commit is through (PairingSandboxTest logout)
        for (int attempt = 1; ; attempt++) {
            try {
                jdbi.useHandle(handle -> handle.createUpdate(
                        "delete from whatsapp_store.device where device_id = :id")
                        .bind("id", deviceId)
                        .execute());
                return;
            } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
                if (attempt >= 5 || !(e.getCause() instanceof java.sql.SQLException sql)
                        || !"40P01".equals(sql.getSQLState())) {
                    throw e;
                }
            }
        }
    }

    @Override
    public void saveAccount(UUID deviceId, DeviceAccount account) {
        write(deviceId, handle -> handle.createUpdate("""
                insert into whatsapp_store.device_account (device_id, jid, lid, platform, business_name, push_name,
                    signed_identity, paired_at)
                values (:id, :jid, :lid, :platform, :businessName, :pushName, :signedIdentity, :now)
                on conflict (device_id) do update
                set jid = excluded.jid, lid = excluded.lid, platform = excluded.platform,
                    business_name = excluded.business_name, push_name = excluded.push_name,
                    signed_identity = excluded.signed_identity, paired_at = excluded.paired_at""")
                .bind("id", deviceId)
                .bind("jid", account.jid())
                .bind("lid", account.lid())
                .bind("platform", account.platform())
                .bind("businessName", account.businessName())
                .bind("pushName", account.pushName())
                .bind("signedIdentity", account.signedIdentity())
                .bind("now", clock.instant())
                .execute());
    }

    @Override
    public void savePushName(UUID deviceId, String pushName) {
        write(deviceId, handle -> handle.createUpdate(
                "update whatsapp_store.device_account set push_name = :name where device_id = :id")
                .bind("id", deviceId)
                .bind("name", pushName)
                .execute());
    }

    @Override
    public void saveNctSalt(UUID deviceId, byte[] salt) {
        write(deviceId, handle -> handle.createUpdate(
                "update whatsapp_store.device_account set nct_salt = :salt where device_id = :id")
                .bind("id", deviceId)
                .bind("salt", salt)
                .execute());
    }

    @Override
    public Optional<byte[]> nctSalt(UUID deviceId) {
        return jdbi.withHandle(handle -> handle.createQuery(
                "select nct_salt from whatsapp_store.device_account where device_id = :id and nct_salt is not null")
                .bind("id", deviceId)
                .mapTo(byte[].class).findOne());
    }

    @Override
    public int lastPreKeyId(UUID deviceId) {
        return jdbi.withHandle(handle -> handle
                .createQuery("select coalesce(max(key_id), 0) from whatsapp_store.device_prekey where device_id = :id")
                .bind("id", deviceId)
                .mapTo(Integer.class).one());
    }

    @Override
    public void savePreKeys(UUID deviceId, List<PreKey> preKeys) {
        write(deviceId, handle -> {
            PreparedBatch batch = handle.prepareBatch("""
                    insert into whatsapp_store.device_prekey (device_id, key_id, private_sealed, public_key)
                    values (:id, :keyId, :private, :public)""");
            for (PreKey key : preKeys) {
                batch.bind("id", deviceId)
                        .bind("keyId", key.id())
                        .bind("private", cipher.seal(key.keyPair().privateKey()))
                        .bind("public", key.keyPair().publicKey())
                        .add();
            }
            batch.execute();
        });
    }

    @Override
    public List<PreKey> unuploadedPreKeys(UUID deviceId, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                select key_id, private_sealed from whatsapp_store.device_prekey
                where device_id = :id and not uploaded order by key_id limit :limit""")
                .bind("id", deviceId)
                .bind("limit", limit)
                .map((rs, ctx) -> new PreKey(rs.getInt(1), KeyPair.fromPrivate(cipher.open(rs.getBytes(2)))))
                .list());
    }

    @Override
    public void markUploaded(UUID deviceId, int upToId) {
        write(deviceId, handle -> handle.createUpdate(
                "update whatsapp_store.device_prekey set uploaded = true where device_id = :id and key_id <= :upTo")
                .bind("id", deviceId)
                .bind("upTo", upToId)
                .execute());
    }

    @Override
    public int uploadedPreKeyCount(UUID deviceId) {
        return jdbi.withHandle(handle -> handle
                .createQuery("select count(*) from whatsapp_store.device_prekey where device_id = :id and uploaded")
                .bind("id", deviceId)
                .mapTo(Integer.class).one());
    }

    @Override
    public Optional<PreKey> preKey(UUID deviceId, int id) {
        return jdbi.withHandle(handle -> handle.createQuery(
                "select private_sealed from whatsapp_store.device_prekey where device_id = :id and key_id = :keyId")
                .bind("id", deviceId)
                .bind("keyId", id)
                .map((rs, ctx) -> new PreKey(id, KeyPair.fromPrivate(cipher.open(rs.getBytes(1)))))
                .findOne());
    }

    @Override
    public void removePreKey(UUID deviceId, int id) {
        write(deviceId, handle -> handle.createUpdate(
                "delete from whatsapp_store.device_prekey where device_id = :id and key_id = :keyId")
                .bind("id", deviceId)
                .bind("keyId", id)
                .execute());
    }

    @Override
    public SignalTransaction begin(UUID deviceId) {
        return new SqlSignalTransaction(deviceId, jdbi, cipher, clock, fence);
    }

    @Override
    public void forgetPeer(UUID deviceId, String addressName) {
        write(deviceId, handle -> {
            for (String table : List.of("whatsapp_store.signal_session", "whatsapp_store.signal_identity")) {
                handle.createUpdate("delete from " + table + " where device_id = :id and peer_name = :name")
                        .bind("id", deviceId)
                        .bind("name", addressName)
                        .execute();
            }
            // a new installation holds none of our sender keys: the next group send hands them again
            handle.createUpdate("""
                    delete from whatsapp_store.sender_key_holder where device_id = :id and holder_name = :name""")
                    .bind("id", deviceId)
                    .bind("name", addressName)
                    .execute();
        });
    }

    @Override
    public Optional<KeptMessage> keptMessage(UUID deviceId, String key) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                select message_key, payload_sealed, kept_at from whatsapp_store.kept_message
                where device_id = :id and message_key = :key""")
                .bind("id", deviceId)
                .bind("key", key)
                .map((rs, ctx) -> keptMessage(rs))
                .findOne());
    }

    @Override
    public List<KeptMessage> unhandedMessages(UUID deviceId, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                select message_key, payload_sealed, kept_at from whatsapp_store.kept_message
                where device_id = :id and handed_on_at is null order by kept_at, message_key limit :limit""")
                .bind("id", deviceId)
                .bind("limit", limit)
                .map((rs, ctx) -> keptMessage(rs))
                .list());
    }

    private KeptMessage keptMessage(ResultSet rs) throws SQLException {
        byte[] sealed = rs.getBytes(2);
        return new KeptMessage(rs.getString(1), Optional.ofNullable(sealed).map(cipher::open),
                rs.getObject(3, OffsetDateTime.class).toInstant());
    }

    @Override
    public void markHandedOn(UUID deviceId, String key) {
        write(deviceId, handle -> handle.createUpdate("""
                update whatsapp_store.kept_message set payload_sealed = null, handed_on_at = :now
                where device_id = :id and message_key = :key and handed_on_at is null""")
                .bind("id", deviceId)
                .bind("key", key)
                .bind("now", clock.instant())
                .execute());
    }

    @Override
    public int purgeHandedOn(Instant before) {
        return jdbi.withHandle(handle -> handle.createUpdate(
                "delete from whatsapp_store.kept_message where handed_on_at < :before")
                .bind("before", before)
                .execute()
                + handle.createUpdate("delete from whatsapp_store.kept_sent_message where kept_at < :before")
                .bind("before", before)
                .execute());
    }

    @Override
    public void keepSent(UUID deviceId, String key, byte[] payload) {
        write(deviceId, handle -> handle.createUpdate("""
                insert into whatsapp_store.kept_sent_message (device_id, message_key, payload_sealed, kept_at)
                select :id, :key, :payload, :now
                where exists (select 1 from whatsapp_store.device where device_id = :id)
                on conflict (device_id, message_key) do update set payload_sealed = excluded.payload_sealed,
                    kept_at = excluded.kept_at""")
                .bind("id", deviceId)
                .bind("key", key)
                .bind("payload", cipher.seal(payload))
                .bind("now", clock.instant())
                .execute());
    }

    @Override
    public Optional<KeptMessage> sentMessage(UUID deviceId, String key) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                select message_key, payload_sealed, kept_at from whatsapp_store.kept_sent_message
                where device_id = :id and message_key = :key""")
                .bind("id", deviceId)
                .bind("key", key)
                .map((rs, ctx) -> keptMessage(rs))
                .findOne());
    }

    @Override
    public void saveLidMapping(UUID deviceId, String pnUser, String lidUser) {
        write(deviceId, handle -> {
            // a LID that moved to another number (or a number with another LID) replaces the old pair
            handle.createUpdate("""
                    delete from whatsapp_store.lid_mapping
                    where device_id = :id and lid_user = :lid and pn_user <> :pn""")
                    .bind("id", deviceId).bind("pn", pnUser).bind("lid", lidUser).execute();
            handle.createUpdate("""
                    insert into whatsapp_store.lid_mapping (device_id, pn_user, lid_user, updated_at)
                    values (:id, :pn, :lid, :now)
                    on conflict (device_id, pn_user) do update set lid_user = excluded.lid_user,
                        updated_at = excluded.updated_at
                    where whatsapp_store.lid_mapping.lid_user <> excluded.lid_user""")
                    .bind("id", deviceId).bind("pn", pnUser).bind("lid", lidUser).bind("now", clock.instant())
                    .execute();
        });
    }

    @Override
    public Optional<String> lidOf(UUID deviceId, String pnUser) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                select lid_user from whatsapp_store.lid_mapping where device_id = :id and pn_user = :pn""")
                .bind("id", deviceId).bind("pn", pnUser).mapTo(String.class).findOne());
    }

    @Override
    public Optional<String> phoneOf(UUID deviceId, String lidUser) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                select pn_user from whatsapp_store.lid_mapping where device_id = :id and lid_user = :lid""")
                .bind("id", deviceId).bind("lid", lidUser).mapTo(String.class).findOne());
    }

    @Override
    public void savePrivacyToken(UUID deviceId, String contactUser, PrivacyToken token) {
        write(deviceId, handle -> handle.createUpdate("""
                insert into whatsapp_store.privacy_token (device_id, contact_user, token_sealed, issued_at, updated_at)
                select :id, :user, :token, :issued, :now
                where exists (select 1 from whatsapp_store.device where device_id = :id)
                on conflict (device_id, contact_user) do update set token_sealed = excluded.token_sealed,
                    issued_at = excluded.issued_at, updated_at = excluded.updated_at""")
                .bind("id", deviceId)
                .bind("user", contactUser)
                .bind("token", cipher.seal(token.token()))
                .bind("issued", token.issuedAt())
                .bind("now", clock.instant())
                .execute());
    }

    @Override
    public KeptPoll keepPoll(UUID deviceId, KeptPoll poll) {
        if (poll.options().stream().anyMatch(option -> option.contains("\n"))) {
            throw new IllegalArgumentException("a poll option holds no newline");
        }
        jdbi.useHandle(handle -> handle.createUpdate("""
                insert into whatsapp_store.poll (device_id, message_id, creator_jid, secret_sealed, options, created_at)
                select :id, :message, :creator, :secret, :options, :now
                where exists (select 1 from whatsapp_store.device where device_id = :id)
                on conflict (device_id, message_id) do nothing""")
                .bind("id", deviceId)
                .bind("message", poll.messageId())
                .bind("creator", poll.creatorJid())
                .bind("secret", cipher.seal(poll.secret()))
                .bind("options", String.join("\n", poll.options()))
                .bind("now", clock.instant())
                .execute());
        return poll(deviceId, poll.messageId()).orElse(poll);
    }

    @Override
    public Optional<KeptPoll> poll(UUID deviceId, String messageId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                select creator_jid, secret_sealed, options from whatsapp_store.poll
                where device_id = :id and message_id = :message""")
                .bind("id", deviceId)
                .bind("message", messageId)
                .map((rs, ctx) -> new KeptPoll(messageId, rs.getString(1), cipher.open(rs.getBytes(2)),
                        List.of(rs.getString(3).split("\n", -1))))
                .findOne());
    }

    @Override
    public Optional<PrivacyToken> privacyToken(UUID deviceId, String contactUser) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                select token_sealed, issued_at from whatsapp_store.privacy_token
                where device_id = :id and contact_user = :user""")
                .bind("id", deviceId)
                .bind("user", contactUser)
                .map((rs, ctx) -> new PrivacyToken(cipher.open(rs.getBytes(1)),
                        rs.getObject(2, OffsetDateTime.class).toInstant()))
                .findOne());
    }

    @Override
    public void saveSyncKeys(UUID deviceId, List<SyncKey> keys) {
        write(deviceId, handle -> {
            var insert = handle.prepareBatch("""
                    insert into whatsapp_store.app_state_sync_key (device_id, key_id, key_data_sealed, key_timestamp,
                        received_at)
                    values (:id, :keyId, :data, :timestamp, :now)
                    on conflict (device_id, key_id) do nothing""");
            for (SyncKey key : keys) {
                insert.bind("id", deviceId).bind("keyId", key.keyId()).bind("data", cipher.seal(key.keyData()))
                        .bind("timestamp", key.timestamp()).bind("now", clock.instant()).add();
            }
            if (!keys.isEmpty()) {
                insert.execute();
            }
        });
    }

    @Override
    public Optional<byte[]> syncKey(UUID deviceId, byte[] keyId) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                select key_data_sealed from whatsapp_store.app_state_sync_key
                where device_id = :id and key_id = :keyId""")
                .bind("id", deviceId).bind("keyId", keyId)
                .map((rs, ctx) -> cipher.open(rs.getBytes(1))).findOne());
    }

    @Override
    public boolean hasSyncKeys(UUID deviceId) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "select exists (select 1 from whatsapp_store.app_state_sync_key where device_id = :id)")
                .bind("id", deviceId).mapTo(Boolean.class).one());
    }

    @Override
    public ponte.adapters.whatsapp.appstate.CollectionState collection(UUID deviceId, String name) {
        return jdbi.withHandle(handle -> {
            var head = handle.createQuery("""
                    select version, lt_hash from whatsapp_store.app_state_version
                    where device_id = :id and collection = :name""")
                    .bind("id", deviceId).bind("name", name)
                    .map((rs, ctx) -> java.util.Map.entry(rs.getLong(1), rs.getBytes(2))).findOne();
            if (head.isEmpty()) {
                return ponte.adapters.whatsapp.appstate.CollectionState.empty(name);
            }
            var macs = new java.util.LinkedHashMap<String, byte[]>();
            handle.createQuery("""
                    select index_mac, value_mac from whatsapp_store.app_state_mutation_mac
                    where device_id = :id and collection = :name""")
                    .bind("id", deviceId).bind("name", name)
                    .map((rs, ctx) -> java.util.Map.entry(rs.getBytes(1), rs.getBytes(2)))
                    .forEach(pair -> macs.put(java.util.Base64.getEncoder().encodeToString(pair.getKey()),
                            pair.getValue()));
            return new ponte.adapters.whatsapp.appstate.CollectionState(name, head.get().getKey(),
                    head.get().getValue(), macs);
        });
    }

    @Override
    public void saveCollection(UUID deviceId, ponte.adapters.whatsapp.appstate.CollectionState state) {
        write(deviceId, handle -> {
            handle.createUpdate("""
                    insert into whatsapp_store.app_state_version (device_id, collection, version, lt_hash)
                    values (:id, :name, :version, :hash)
                    on conflict (device_id, collection) do update set version = excluded.version,
                        lt_hash = excluded.lt_hash""")
                    .bind("id", deviceId).bind("name", state.name()).bind("version", state.version())
                    .bind("hash", state.hash()).execute();
            handle.createUpdate("""
                    delete from whatsapp_store.app_state_mutation_mac where device_id = :id and collection = :name""")
                    .bind("id", deviceId).bind("name", state.name()).execute();
            if (!state.valueMacs().isEmpty()) {
                var insert = handle.prepareBatch("""
                        insert into whatsapp_store.app_state_mutation_mac (device_id, collection, index_mac,
                            value_mac) values (:id, :name, :index, :value)""");
                state.valueMacs().forEach((index, value) -> insert.bind("id", deviceId).bind("name", state.name())
                        .bind("index", java.util.Base64.getDecoder().decode(index)).bind("value", value).add());
                insert.execute();
            }
        });
    }
}
