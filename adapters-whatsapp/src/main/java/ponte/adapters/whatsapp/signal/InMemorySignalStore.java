package ponte.adapters.whatsapp.signal;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import ponte.adapters.whatsapp.crypto.KeyPair;

/**
 * A {@link SignalStore} in memory, for parties whose state need not outlive the process (tests, the sandbox's
 * virtual phones). Records are kept in their byte form, so what it holds is exactly what a durable store holds.
 */
public final class InMemorySignalStore implements SignalStore {

    private final KeyPair identity;
    private final int registrationId;
    private final Map<String, byte[]> sessions = new ConcurrentHashMap<>();
    private final Map<String, IdentityKey> identities = new ConcurrentHashMap<>();
    private final Map<Integer, KeyPair> preKeys = new ConcurrentHashMap<>();
    private final Map<Integer, KeyPair> signedPreKeys = new ConcurrentHashMap<>();
    private final Map<String, byte[]> senderKeys = new ConcurrentHashMap<>();

    public InMemorySignalStore(KeyPair identity, int registrationId) {
        this.identity = identity;
        this.registrationId = registrationId;
    }

    public void addPreKey(int id, KeyPair keyPair) {
        preKeys.put(id, keyPair);
    }

    public void addSignedPreKey(int id, KeyPair keyPair) {
        signedPreKeys.put(id, keyPair);
    }

    /** Forgets a peer device's session, as after an identity change notification or a failed retry. */
    public void removeSession(SignalAddress address) {
        sessions.remove(address.toString());
    }

    @Override
    public KeyPair identityKeyPair() {
        return identity;
    }

    @Override
    public int registrationId() {
        return registrationId;
    }

    @Override
    public Optional<SessionRecord> session(SignalAddress address) {
        return Optional.ofNullable(sessions.get(address.toString())).map(SessionRecord::parse);
    }

    @Override
    public void storeSession(SignalAddress address, SessionRecord record) {
        sessions.put(address.toString(), record.serialize());
    }

    @Override
    public Optional<IdentityKey> identity(SignalAddress address) {
        return Optional.ofNullable(identities.get(address.toString()));
    }

    @Override
    public void storeIdentity(SignalAddress address, IdentityKey key) {
        identities.put(address.toString(), key);
    }

    @Override
    public Optional<KeyPair> preKey(int id) {
        return Optional.ofNullable(preKeys.get(id));
    }

    @Override
    public void removePreKey(int id) {
        preKeys.remove(id);
    }

    @Override
    public Optional<KeyPair> signedPreKey(int id) {
        return Optional.ofNullable(signedPreKeys.get(id));
    }

    @Override
    public Optional<SenderKeyRecord> senderKey(SenderKeyName name) {
        return Optional.ofNullable(senderKeys.get(name.toString())).map(SenderKeyRecord::parse);
    }

    @Override
    public void storeSenderKey(SenderKeyName name, SenderKeyRecord record) {
        senderKeys.put(name.toString(), record.serialize());
    }
}
