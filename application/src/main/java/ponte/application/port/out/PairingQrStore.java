package ponte.application.port.out;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** The QR code an instance is currently showing, readable from every node. */
public interface PairingQrStore {
    void show(UUID instanceId, String qr, Instant expiresAt);

    Optional<CurrentQr> current(UUID instanceId);

    /** Waits until the instance shows a QR code it was not showing before, at most {@code wait}. */
    Optional<CurrentQr> awaitNew(UUID instanceId, Optional<CurrentQr> previous, Duration wait);

    void clear(UUID instanceId);

    record CurrentQr(String qr, Instant expiresAt) {}
}
