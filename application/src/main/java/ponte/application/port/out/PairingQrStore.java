package ponte.application.port.out;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import ponte.application.model.CurrentQr;

/**
 * The QR code an instance is currently showing, readable from every node. Waiting for a new one is not the store's
 * business: {@link InstanceSignals} says when to read it again.
 */
public interface PairingQrStore {
    void show(UUID instanceId, String qr, Instant expiresAt);

    Optional<CurrentQr> current(UUID instanceId);

    void clear(UUID instanceId);
}
