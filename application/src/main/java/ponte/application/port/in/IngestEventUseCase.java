package ponte.application.port.in;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import ponte.domain.event.EventEnvelope;
import ponte.domain.event.EventType;

/**
 * The only way events enter the gateway. When it returns, the event and one delivery per matching webhook are
 * committed: the caller (the WhatsApp client) may acknowledge the message to WhatsApp only then.
 */
public interface IngestEventUseCase {
    EventEnvelope ingest(IngestEventCommand command);

    record IngestEventCommand(UUID tenantId, UUID instanceId, EventType type, Map<String, Object> data,
                              Instant occurredAt) {
        public IngestEventCommand {
            Objects.requireNonNull(tenantId, "tenantId");
            Objects.requireNonNull(instanceId, "instanceId");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(data, "data");
        }
    }
}
