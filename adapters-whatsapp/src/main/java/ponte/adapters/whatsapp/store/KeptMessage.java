package ponte.adapters.whatsapp.store;

import java.time.Instant;
import java.util.Optional;

/**
 * A decrypted incoming message as the device store keeps it (see {@link SignalTransaction}): its key, the
 * caller's payload until the message was handed on to the ingest, and when it was kept. A handed-on message has
 * no payload any more; only its key remains, to recognise a redelivery.
 */
public record KeptMessage(String key, Optional<byte[]> payload, Instant keptAt) {

    public KeptMessage {
        payload = payload.map(byte[]::clone);
    }

    /** Whether the ingest has the message already: a redelivery is then acked and dropped. */
    public boolean handedOn() {
        return payload.isEmpty();
    }

    @Override
    public Optional<byte[]> payload() {
        return payload.map(byte[]::clone);
    }
}
