package ponte.application.port.out;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** What was delivered where: the webhook delivery log, readable within one tenant. */
public interface DeliveryLog {
    Page<Delivery> list(UUID tenantId, Filter filter, PageRequest page);

    Optional<Detail> find(UUID tenantId, UUID deliveryId);

    /** Makes a delivery pending again with a fresh retry round; false when it is not found. */
    boolean redeliver(UUID tenantId, UUID deliveryId, Instant now);

    /** Removes finished deliveries, and events without pending deliveries, older than {@code before}. */
    int purgeBefore(Instant before);

    record Filter(UUID instanceId, DeliveryQueue.Status status, String event) {}

    record Delivery(UUID id, UUID tenantId, UUID instanceId, UUID eventId, String event, String label, String url,
                    DeliveryQueue.Status status, int attempts, Instant nextAttemptAt, Integer lastStatusCode,
                    String lastError, Instant createdAt) {}

    record Detail(Delivery delivery, List<DeliveryQueue.Attempt> attempts, String payload) {}
}
