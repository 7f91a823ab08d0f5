package ponte.adapters.whatsapp.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The Signal state of companion devices (sessions, peers' identities, sender keys) and the decrypted messages
 * kept with it, read and written per stanza through a {@link SignalTransaction}, whose Javadoc says how the
 * ratchet and the message stay together across a crash. Our own identity, registration id, signed prekey and
 * one-time prekeys are the device's credentials and {@link PreKeyStore} keys, the same ones the client uploads.
 */
public interface SignalStateStore {

    /** Starts a unit of work on a device's Signal state; reading our own keys fails if the device has none. */
    SignalTransaction begin(UUID deviceId);

    /**
     * Drops the sessions and identities of every device of one peer user, {@code addressName} being the
     * {@code user[_agent]} part of their Signal addresses: what an identity-change notification asks for; the
     * next message re-establishes them. Idempotent, so it may run again after a crash before the ack.
     */
    void forgetPeer(UUID deviceId, String addressName);

    /** The message kept under this key, handed on or not; empty when it was never decrypted (or was purged). */
    Optional<KeptMessage> keptMessage(UUID deviceId, String key);

    /** Up to {@code limit} kept messages not yet handed on, oldest first: what a crash left between two commits. */
    List<KeptMessage> unhandedMessages(UUID deviceId, int limit);

    /** The ingest has the message: forget its payload, keep its key. Idempotent. */
    void markHandedOn(UUID deviceId, String key);

    /** Deletes the keys of messages handed on before {@code before}, of every device; returns how many. */
    int purgeHandedOn(Instant before);
}
