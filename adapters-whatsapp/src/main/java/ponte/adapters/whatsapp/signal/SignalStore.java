package ponte.adapters.whatsapp.signal;

import java.util.Optional;
import ponte.adapters.whatsapp.crypto.KeyPair;

/**
 * The Signal state of one local device, implemented by the caller. {@link SessionCipher} and {@link GroupCipher}
 * read through it and, only once an operation has fully succeeded, write its results through it: every write of
 * one call happens at its end, after all checks. A caller that implements the writes inside the transaction that
 * also stores the message therefore never loses nor replays a ratchet step. All records are immutable values with a
 * byte form ({@code serialize()}/{@code parse}) for storage. Calls for the same address must not run concurrently.
 */
public interface SignalStore {

    /** Our identity key pair. */
    KeyPair identityKeyPair();

    /** Our 14-bit registration id. */
    int registrationId();

    Optional<SessionRecord> session(SignalAddress address);

    void storeSession(SignalAddress address, SessionRecord record);

    /** The identity key last seen for a peer device. */
    Optional<IdentityKey> identity(SignalAddress address);

    void storeIdentity(SignalAddress address, IdentityKey identity);

    /** One of our one-time prekeys by its id. */
    Optional<KeyPair> preKey(int id);

    /** Called once a pkmsg that used this one-time prekey decrypted. */
    void removePreKey(int id);

    /** Our signed prekey with this id. */
    Optional<KeyPair> signedPreKey(int id);

    Optional<SenderKeyRecord> senderKey(SenderKeyName name);

    void storeSenderKey(SenderKeyName name, SenderKeyRecord record);
}
