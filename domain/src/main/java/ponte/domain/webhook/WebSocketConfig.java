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

    /**
     * A partial update, as every configuration PUT is: absent (null) fields keep the stored value; {@code enabled}
     * is required the first time.
     */
    public record Patch(Boolean enabled, EventFilter events, Boolean mediaBase64) {
        /** {@code current} is null when the feed was never configured. */
        public WebSocketConfig applyTo(WebSocketConfig current, UUID instanceId, UUID tenantId, Instant now) {
            if (enabled == null && current == null) {
                throw ponte.domain.validation.ValidationException.of("enabled", "is required");
            }
            return new WebSocketConfig(instanceId, tenantId, enabled != null ? enabled : current.enabled(),
                    events != null ? events : current == null ? EventFilter.ALL : current.events(),
                    mediaBase64 != null ? mediaBase64 : current != null && current.mediaBase64(), now);
        }
    }
}
