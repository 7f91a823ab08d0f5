package ponte.application.port.in;

import java.time.Instant;
import java.util.UUID;
import ponte.domain.instance.Instance;

/**
 * What the WhatsApp engine reports about a session: each status change is stored together with its
 * {@code instance.state} event, in one transaction, so that subscribers see every change exactly as it was stored.
 */
public interface ChangeInstanceStatusUseCase {
    /** Applies {@code transition} to the live instance now; an illegal move fails and stores nothing. */
    Instance change(UUID tenantId, UUID instanceId, Transition transition);

    /** A new QR code for an instance waiting in the {@code qr} status. */
    void rotateQr(UUID tenantId, UUID instanceId, String qr, Instant expiresAt);

    /** One move of the status machine, e.g. {@code (instance, now) -> instance.markConnected(account, now)}. */
    @FunctionalInterface
    interface Transition {
        Instance.Change apply(Instance instance, Instant now);
    }
}
