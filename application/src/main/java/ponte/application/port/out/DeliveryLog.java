package ponte.application.port.out;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import ponte.application.model.Delivery;
import ponte.application.model.DeliveryDetail;
import ponte.application.model.DeliveryStatus;
import ponte.application.model.Page;
import ponte.application.model.PageRequest;

/** What was delivered where: the webhook delivery log, readable within one tenant. */
public interface DeliveryLog {
    Page<Delivery> list(UUID tenantId, Filter filter, PageRequest page);

    Optional<DeliveryDetail> find(UUID tenantId, UUID deliveryId);

    /** Makes a delivery pending again with a fresh retry round; false when it is not found. */
    boolean redeliver(UUID tenantId, UUID deliveryId, Instant now);

    /** Removes finished deliveries, and events without pending deliveries, older than {@code before}. */
    int purgeBefore(Instant before);

    record Filter(UUID instanceId, DeliveryStatus status, String event) {}
}
