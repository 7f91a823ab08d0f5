package ponte.adapters.whatsapp.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import ponte.adapters.whatsapp.signal.SignalException;

/**
 * The Signal state of companion devices (sessions, peers' identities, sender keys) and the decrypted messages
 * kept with it, read and written per stanza through a {@link SignalTransaction}, whose Javadoc says how the
 * ratchet and the message stay together across a crash. Our own identity, registration id, signed prekey and
 * one-time prekeys are the device's credentials and {@link PreKeyStore} keys, the same ones the client uploads.
 */
public interface SignalStateStore {

    /** How often {@link #inTransaction} runs a unit whose commit lost a race before giving up. */
    int MAX_ATTEMPTS = 3;

    /** Starts a unit of work on a device's Signal state; reading our own keys fails if the device has none. */
    SignalTransaction begin(UUID deviceId);

    /**
     * Runs {@code work} on a new unit and commits it, running it again on a fresh unit when the commit lost a race
     * to another writer ({@link SignalStateConflictException}, at most {@link #MAX_ATTEMPTS} runs). The result is
     * what the caller may use once the state behind it is durable: the plaintext to hand on, or the ciphertext to
     * put on the socket. A {@link SignalException} from the work commits nothing and is passed on.
     */
    default <T> T inTransaction(UUID deviceId, Work<T> work) throws SignalException {
        for (int attempt = 1; ; attempt++) {
            SignalTransaction unit = begin(deviceId);
            T result = work.run(unit);
            try {
                unit.commit();
                return result;
            } catch (SignalStateConflictException e) {
                if (attempt == MAX_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** What runs inside one unit: the cipher calls and {@link SignalTransaction#keepMessage}, nothing else. */
    @FunctionalInterface
    interface Work<T> {
        T run(SignalTransaction unit) throws SignalException;
    }

    /**
     * Drops the sessions and identities of every device of one peer user, {@code addressName} being the
     * {@code user[_agent]} part of their Signal addresses, and the record that those devices hold our sender keys:
     * what an identity-change notification asks for; the next message re-establishes them. Idempotent, so it may run
     * again after a crash before the ack.
     */
    void forgetPeer(UUID deviceId, String addressName);

    /** The message kept under this key, handed on or not; empty when it was never decrypted (or was purged). */
    Optional<KeptMessage> keptMessage(UUID deviceId, String key);

    /** Up to {@code limit} kept messages not yet handed on, oldest first: what a crash left between two commits. */
    List<KeptMessage> unhandedMessages(UUID deviceId, int limit);

    /** The ingest has the message: forget its payload, keep its key. Idempotent. */
    void markHandedOn(UUID deviceId, String key);

    /**
     * Deletes the keys of messages handed on before {@code before} and the sent messages kept since before then, of
     * every device; returns how many.
     */
    int purgeHandedOn(Instant before);

    /**
     * Keeps a message this device sent (sealed at rest: it is message text) under {@code key}, so that a peer's
     * retry receipt can be answered by encrypting it again; a second keep under the same key replaces it. A device
     * that no longer exists (logged out while the send ran) keeps nothing.
     */
    void keepSent(UUID deviceId, String key, byte[] payload);

    /** A sent message kept under this key; empty when it was never kept or was purged. */
    Optional<KeptMessage> sentMessage(UUID deviceId, String key);
}
