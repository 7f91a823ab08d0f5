package ponte.application.port.in;

import java.time.Instant;
import java.util.UUID;
import ponte.domain.instance.DisconnectReason;
import ponte.domain.instance.LinkedAccount;

/**
 * How the WhatsApp engine reports what its sessions do. Each report moves the instance through its status machine
 * and becomes an {@code instance.state} event; a report that changes nothing (a repeated "connecting") is dropped.
 */
public interface SessionEventsUseCase {
    void connecting(UUID instanceId);

    void qrShown(UUID instanceId, String qr, Instant expiresAt);

    void connected(UUID instanceId, LinkedAccount account);

    void disconnected(UUID instanceId, DisconnectReason reason);

    void failed(UUID instanceId);
}
