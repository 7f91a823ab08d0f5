package ponte.application.port.out;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import ponte.domain.instance.InstanceStatus;

/** Counts across every tenant, for the operator's metrics; never shown to a tenant. */
public interface GatewayStatsStore {
    /** Live (not deleted) instances per status; a status no instance has is absent. */
    Map<InstanceStatus, Long> instancesByStatus();

    /** Webhook deliveries still pending (due now or waiting for a retry) and when the oldest of them was queued. */
    Backlog deliveryBacklog();

    record Backlog(long pending, Optional<Instant> oldestCreatedAt) {}
}
