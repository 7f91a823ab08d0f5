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

    /**
     * What the engine knows of the linked account changed while the status did not (the push name the phone sends
     * after linking): the instance's account fields are replaced, with no {@code instance.state} event. Dropped when
     * the instance is not linked to {@code account.phoneNumber()} or nothing changes.
     */
    void accountUpdated(UUID instanceId, LinkedAccount account);

    void disconnected(UUID instanceId, DisconnectReason reason);

    void failed(UUID instanceId);
}
