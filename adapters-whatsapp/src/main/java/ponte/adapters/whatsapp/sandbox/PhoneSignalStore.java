package ponte.adapters.whatsapp.sandbox;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntSupplier;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.sandbox.store.SandboxMessageStore;
import ponte.adapters.whatsapp.signal.IdentityKey;
import ponte.adapters.whatsapp.signal.SenderKeyName;
import ponte.adapters.whatsapp.signal.SenderKeyRecord;
import ponte.adapters.whatsapp.signal.SessionRecord;
import ponte.adapters.whatsapp.signal.SignalAddress;
import ponte.adapters.whatsapp.signal.SignalStore;

/**
 * A virtual phone's Signal state in the sandbox's database, so that a restarted sandbox keeps its phones' sessions
 * and prekeys as a real phone keeps them across a reboot. The identity is the account key; the registration id is
 * made once (14 bits, protocol.md §1.12) and kept.
 *
 * <p>Like a WhatsApp phone, it keeps 1:1 sessions under LID addresses ({@code lid_1.device}): a phone-number
 * address is read and written as its account's LID address, and a session still kept under the number moves there
 * the first time it is read (record and identity copied, the old record dropped), as whatsmeow's
 * {@code migrateSessionStore} and Baileys' {@code migrateSession} do.
 */
final class PhoneSignalStore implements SignalStore {

    private static final String SESSION = "session";
    private static final String IDENTITY = "identity";
    private static final String PRE_KEY = "prekey";
    private static final String SIGNED_PRE_KEY = "signed-prekey";
    private static final String SENDER_KEY = "sender-key";
    private static final String VALUE = "value";

    private final SandboxMessageStore store;
    private final String phone;
    private final KeyPair identity;
    private final int registrationId;
    private final Function<String, Optional<String>> lidOfPhone;
    private final Function<String, Optional<String>> phoneOfLid;

    /** {@code lidOfPhone}, {@code phoneOfLid}: the other name of a sandbox account's phone number or LID. */
    PhoneSignalStore(SandboxMessageStore store, String phone, KeyPair identity, SecureRandom random,
            Function<String, Optional<String>> lidOfPhone, Function<String, Optional<String>> phoneOfLid) {
        this.store = store;
        this.phone = phone;
        this.identity = identity;
        this.lidOfPhone = lidOfPhone;
        this.phoneOfLid = phoneOfLid;
        this.registrationId = number("registration", () -> 1 + random.nextInt(16383));
    }

    /** A counter or fixed number of this phone, made by {@code initial} the first time it is asked for. */
    int number(String name, IntSupplier initial) {
        Optional<byte[]> stored = store.phoneRecord(phone, VALUE, name);
        if (stored.isPresent()) {
            return ByteBuffer.wrap(stored.get()).getInt();
        }
        int made = initial.getAsInt();
        saveNumber(name, made);
        return made;
    }

    void saveNumber(String name, int value) {
        store.savePhoneRecord(phone, VALUE, name, ByteBuffer.allocate(4).putInt(value).array());
    }

    Optional<byte[]> bytes(String name) {
        return store.phoneRecord(phone, VALUE, name);
    }

    void saveBytes(String name, byte[] value) {
        store.savePhoneRecord(phone, VALUE, name, value);
    }

    void addPreKey(int id, KeyPair keyPair) {
        store.savePhoneRecord(phone, PRE_KEY, Integer.toString(id), keyPair.privateKey());
    }

    void addSignedPreKey(int id, KeyPair keyPair) {
        store.savePhoneRecord(phone, SIGNED_PRE_KEY, Integer.toString(id), keyPair.privateKey());
    }

    @Override
    public KeyPair identityKeyPair() {
        return identity;
    }

    @Override
    public int registrationId() {
        return registrationId;
    }

    /** The address a session with this device lives under: its account's LID address when there is one. */
    private SignalAddress lidAddress(SignalAddress address) {
        if (address.agent() != 0) {
            return address;
        }
        return lidOfPhone.apply(address.user())
                .map(lid -> new SignalAddress(lid, SignalAddress.LID_AGENT, address.device())).orElse(address);
    }

    @Override
    public Optional<SessionRecord> session(SignalAddress address) {
        SignalAddress lid = lidAddress(address);
        Optional<byte[]> current = store.phoneRecord(phone, SESSION, lid.toString());
        Optional<SignalAddress> before = !lid.equals(address) ? Optional.of(address)
                : lid.agent() == SignalAddress.LID_AGENT
                        ? phoneOfLid.apply(lid.user()).map(number -> SignalAddress.of(number, lid.device()))
                        : Optional.empty();
        if (current.isEmpty() && before.isPresent()) {
            String pn = before.get().toString();
            Optional<byte[]> old = store.phoneRecord(phone, SESSION, pn);
            if (old.isPresent()) {
                store.savePhoneRecord(phone, SESSION, lid.toString(), old.get());
                store.phoneRecord(phone, IDENTITY, pn).filter(key -> store.phoneRecord(phone,
                        IDENTITY, lid.toString()).isEmpty())
                        .ifPresent(key -> store.savePhoneRecord(phone, IDENTITY, lid.toString(), key));
                store.removePhoneRecord(phone, SESSION, pn);
                current = old;
            }
        }
        return current.map(SessionRecord::parse);
    }

    @Override
    public void storeSession(SignalAddress address, SessionRecord record) {
        store.savePhoneRecord(phone, SESSION, lidAddress(address).toString(), record.serialize());
    }

    /** Drops the session with a peer device (a test's way to lose it). */
    void removeSession(SignalAddress address) {
        store.removePhoneRecord(phone, SESSION, lidAddress(address).toString());
        store.removePhoneRecord(phone, SESSION, address.toString());
    }

    @Override
    public Optional<IdentityKey> identity(SignalAddress address) {
        return store.phoneRecord(phone, IDENTITY, lidAddress(address).toString()).map(IdentityKey::new);
    }

    @Override
    public void storeIdentity(SignalAddress address, IdentityKey key) {
        store.savePhoneRecord(phone, IDENTITY, lidAddress(address).toString(), key.publicKey());
    }

    @Override
    public Optional<KeyPair> preKey(int id) {
        return store.phoneRecord(phone, PRE_KEY, Integer.toString(id)).map(KeyPair::fromPrivate);
    }

    @Override
    public void removePreKey(int id) {
        store.removePhoneRecord(phone, PRE_KEY, Integer.toString(id));
    }

    @Override
    public Optional<KeyPair> signedPreKey(int id) {
        return store.phoneRecord(phone, SIGNED_PRE_KEY, Integer.toString(id)).map(KeyPair::fromPrivate);
    }

    @Override
    public Optional<SenderKeyRecord> senderKey(SenderKeyName name) {
        return store.phoneRecord(phone, SENDER_KEY, name.toString()).map(SenderKeyRecord::parse);
    }

    /** Drops a sender's key in a group (a test's way to lose it). */
    void removeSenderKey(SenderKeyName name) {
        store.removePhoneRecord(phone, SENDER_KEY, name.toString());
    }

    @Override
    public void storeSenderKey(SenderKeyName name, SenderKeyRecord record) {
        store.savePhoneRecord(phone, SENDER_KEY, name.toString(), record.serialize());
    }
}
