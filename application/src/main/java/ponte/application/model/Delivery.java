package ponte.application.model;

import java.time.Instant;
import java.util.UUID;

/** One event on its way to one webhook, as the delivery log shows it. */
public record Delivery(UUID id, UUID tenantId, UUID instanceId, UUID eventId, String event, String label, String url,
                       DeliveryStatus status, int attempts, Instant nextAttemptAt, Integer lastStatusCode,
                       String lastError, Instant createdAt) {}
