package ponte.application.port.in;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import ponte.domain.event.EventEnvelope;
import ponte.domain.event.EventType;

/**
 * How the WhatsApp engine hands over what an instance received (a call offer today; messages, receipts and group
 * changes next). The engine knows instances by id only; the gateway finds the tenant. When this returns, the event
 * and its deliveries are committed, and only then may the engine acknowledge the stanza to WhatsApp; when it throws,
 * nothing was stored, the engine does not acknowledge, and WhatsApp delivers the stanza again on the next connection.
 */
public interface InboundEventUseCase {

    /**
     * Stores one event of {@code type} for the instance; {@code data} is the event's {@code data} object as the API
     * documents it, {@code occurredAt} when WhatsApp says it happened. Empty when the instance no longer exists
     * (nothing to keep: the stanza may be acknowledged).
     */
    Optional<EventEnvelope> receive(UUID instanceId, EventType type, Map<String, Object> data, Instant occurredAt);
}
