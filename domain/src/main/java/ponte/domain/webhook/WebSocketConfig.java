package ponte.domain.webhook;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import ponte.domain.event.EventFilter;
import ponte.domain.event.EventType;

/** The one live-feed configuration of an instance; disabling it clears its filter but keeps the row. */
public record WebSocketConfig(UUID instanceId, UUID tenantId, boolean enabled, EventFilter events,
                              boolean mediaBase64, Instant updatedAt) {
    public WebSocketConfig {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (!enabled) {
            events = EventFilter.ALL;
            mediaBase64 = false;
        }
    }

    public boolean wants(EventType type) {
        return events.matches(type);
    }
}
