package ponte.application.port.out;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import ponte.domain.event.EventEnvelope;

/**
 * Stores an event together with its pending webhook deliveries in the caller's transaction (the outbox) and
 * signals other nodes, which hear of it only once that transaction commits.
 */
public interface EventOutbox {
    void append(EventEnvelope event, Instant storedAt, List<NewDelivery> deliveries);

    /** The stored JSON of an event, exactly as it is delivered. */
    Optional<String> payload(UUID eventId);

    /** One webhook that will receive the event; url and label are kept as they were, for the log. */
    record NewDelivery(UUID id, UUID webhookId, String label, String url, Instant firstAttemptAt) {}
}
