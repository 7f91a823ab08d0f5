package ponte.adapters.whatsapp.client;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.signal.IdentityKey;
import ponte.adapters.whatsapp.signal.SenderKeyName;
import ponte.adapters.whatsapp.signal.SenderKeyRecord;
import ponte.adapters.whatsapp.signal.SessionRecord;
import ponte.adapters.whatsapp.signal.SignalAddress;
import ponte.adapters.whatsapp.store.KeptMessage;
import ponte.adapters.whatsapp.store.SignalStateStore;
import ponte.adapters.whatsapp.store.SignalTransaction;

/**
 * The device's Signal state with 1:1 sessions kept under LID addresses, as WhatsApp has moved them (protocol.md
 * §1.12–1.13; whatsmeow {@code migrateSessionStore}, Baileys {@code resolveLIDSignalAddress} and
 * {@code migrateSession}): a phone-number address ({@code user.device}, agent 0) whose account's LID is known
 * ({@link LidMappings}) is read and written as that LID's address ({@code lid_1.device}), so a message to or from
 * either form of one person runs on one session. A session that still sits under the phone-number address (set up
 * before the LID was known) moves once, in the unit that first needs it: its record (and the peer's identity) is
 * copied to the LID address and the old row is dropped, both at that unit's commit.
 *
 * <p>Every feature gets its units from here, so no caller needs to know which form an address is in; sender keys
 * are left as they are, named by the group's own addressing.
 */
final class LidSessions implements SignalStateStore {

    private final SignalStateStore store;
    private final Function<String, Optional<String>> lidOfPhone;
    private final Function<String, Optional<String>> phoneOfLid;

    /** {@code lidOfPhone}, {@code phoneOfLid}: the other name of a phone-number or LID user, when known. */
    LidSessions(SignalStateStore store, Function<String, Optional<String>> lidOfPhone,
            Function<String, Optional<String>> phoneOfLid) {
        this.store = store;
        this.lidOfPhone = lidOfPhone;
        this.phoneOfLid = phoneOfLid;
    }

    /** The address a session with this device lives under: its LID address when the number's LID is known. */
    SignalAddress sessionAddress(SignalAddress address) {
        if (address.agent() != 0) {
            return address;
        }
        return lidOfPhone.apply(address.user())
                .map(lid -> new SignalAddress(lid, SignalAddress.LID_AGENT, address.device())).orElse(address);
    }

    /** The phone-number address a session with this LID device may still sit under, when the number is known. */
    private Optional<SignalAddress> phoneAddress(SignalAddress lid) {
        return lid.agent() != SignalAddress.LID_AGENT ? Optional.empty()
                : phoneOfLid.apply(lid.user()).map(phone -> SignalAddress.of(phone, lid.device()));
    }

    @Override
    public SignalTransaction begin(UUID deviceId) {
        return new Unit(store.begin(deviceId));
    }

    @Override
    public void forgetPeer(UUID deviceId, String addressName) {
        store.forgetPeer(deviceId, addressName);
        // the same person under its other name: an identity change is the account's, whatever form named it
        if (!addressName.contains("_")) {
            lidOfPhone.apply(addressName).ifPresent(lid -> store.forgetPeer(deviceId,
                    new SignalAddress(lid, SignalAddress.LID_AGENT, 0).name()));
        }
    }

    @Override
    public Optional<KeptMessage> keptMessage(UUID deviceId, String key) {
        return store.keptMessage(deviceId, key);
    }

    @Override
    public List<KeptMessage> unhandedMessages(UUID deviceId, int limit) {
        return store.unhandedMessages(deviceId, limit);
    }

    @Override
    public void markHandedOn(UUID deviceId, String key) {
        store.markHandedOn(deviceId, key);
    }

    @Override
    public int purgeHandedOn(Instant before) {
        return store.purgeHandedOn(before);
    }

    @Override
    public void keepSent(UUID deviceId, String key, byte[] payload) {
        store.keepSent(deviceId, key, payload);
    }

    @Override
    public Optional<KeptMessage> sentMessage(UUID deviceId, String key) {
        return store.sentMessage(deviceId, key);
    }

    /** One unit whose session and identity addresses are resolved to LID form, migrating on first read. */
    private final class Unit implements SignalTransaction {

        private final SignalTransaction unit;

        Unit(SignalTransaction unit) {
            this.unit = unit;
        }

        @Override
        public Optional<SessionRecord> session(SignalAddress address) {
            SignalAddress resolved = sessionAddress(address);
            Optional<SessionRecord> current = unit.session(resolved);
            Optional<SignalAddress> before = resolved.equals(address) ? phoneAddress(resolved) : Optional.of(address);
            if (current.isPresent() || before.isEmpty()) {
                return current;
            }
            SignalAddress pn = before.get();
            Optional<SessionRecord> old = unit.session(pn);
            if (old.isPresent()) {
                unit.storeSession(resolved, old.get());
                if (unit.identity(resolved).isEmpty()) {
                    unit.identity(pn).ifPresent(identity -> unit.storeIdentity(resolved, identity));
                }
                unit.deleteSession(pn);
            }
            return old;
        }

        @Override
        public void storeSession(SignalAddress address, SessionRecord record) {
            unit.storeSession(sessionAddress(address), record);
        }

        @Override
        public void deleteSession(SignalAddress address) {
            unit.deleteSession(sessionAddress(address));
        }

        @Override
        public Optional<IdentityKey> identity(SignalAddress address) {
            SignalAddress resolved = sessionAddress(address);
            Optional<SignalAddress> before = resolved.equals(address) ? phoneAddress(resolved) : Optional.of(address);
            return unit.identity(resolved).or(() -> before.flatMap(unit::identity));
        }

        @Override
        public void storeIdentity(SignalAddress address, IdentityKey identity) {
            unit.storeIdentity(sessionAddress(address), identity);
        }

        @Override
        public UUID deviceId() {
            return unit.deviceId();
        }

        @Override
        public KeyPair identityKeyPair() {
            return unit.identityKeyPair();
        }

        @Override
        public int registrationId() {
            return unit.registrationId();
        }

        @Override
        public Optional<KeyPair> preKey(int id) {
            return unit.preKey(id);
        }

        @Override
        public void removePreKey(int id) {
            unit.removePreKey(id);
        }

        @Override
        public Optional<KeyPair> signedPreKey(int id) {
            return unit.signedPreKey(id);
        }

        @Override
        public Optional<SenderKeyRecord> senderKey(SenderKeyName name) {
            return unit.senderKey(name);
        }

        @Override
        public void storeSenderKey(SenderKeyName name, SenderKeyRecord record) {
            unit.storeSenderKey(name, record);
        }

        @Override
        public Set<SignalAddress> senderKeyHolders(String groupId) {
            return unit.senderKeyHolders(groupId);
        }

        @Override
        public void addSenderKeyHolders(String groupId, Collection<SignalAddress> holders) {
            unit.addSenderKeyHolders(groupId, holders);
        }

        @Override
        public void clearSenderKeyHolders(String groupId) {
            unit.clearSenderKeyHolders(groupId);
        }

        @Override
        public void keepMessage(String key, byte[] payload) {
            unit.keepMessage(key, payload);
        }

        @Override
        public void commit() {
            unit.commit();
        }
    }
}
