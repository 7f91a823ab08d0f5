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

    /** The sessions with a peer device; empty when there never was one (or the caller dropped them). */
    Optional<SessionRecord> session(SignalAddress address);

    /** Replaces the sessions with a peer device; written once per successful encrypt, decrypt or set-up. */
    void storeSession(SignalAddress address, SessionRecord record);

    /** The identity key last seen for a peer device. */
    Optional<IdentityKey> identity(SignalAddress address);

    /** Records a peer device's identity: on first contact, or when it changed ({@link IdentityChange}). */
    void storeIdentity(SignalAddress address, IdentityKey identity);

    /** One of our one-time prekeys by its id. */
    Optional<KeyPair> preKey(int id);

    /** Called once a pkmsg that used this one-time prekey decrypted. */
    void removePreKey(int id);

    /** Our signed prekey with this id. */
    Optional<KeyPair> signedPreKey(int id);

    /** A sender's keys in a group (ours too, under our own address). */
    Optional<SenderKeyRecord> senderKey(SenderKeyName name);

    /** Replaces a sender's keys in a group; written once per successful group encrypt, decrypt or SKDM. */
    void storeSenderKey(SenderKeyName name, SenderKeyRecord record);
}
