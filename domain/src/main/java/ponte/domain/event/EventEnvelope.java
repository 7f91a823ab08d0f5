package ponte.domain.event;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One event as every subscriber receives it. {@code eventId} is time-ordered and unique: receivers deduplicate on
 * it. The envelope never carries a token or a secret: only what identifies the instance and what happened.
 */
public record EventEnvelope(UUID eventId, EventType event, UUID tenantId, UUID instanceId, String instanceName,
                            Instant occurredAt, Map<String, Object> data) {
    public static final String API_VERSION = "1";

    public EventEnvelope {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(instanceName, "instanceName");
        Objects.requireNonNull(occurredAt, "occurredAt");
        // not Map.copyOf: a null value (e.g. no status_reason) is meaningful in event data
        data = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(data, "data")));
        if (!(data.get("type") instanceof String)) {
            throw new IllegalArgumentException("event data needs a string 'type' (its subtype)");
        }
    }

    /** The wire form in field order, with ids and times as strings, so every adapter writes the same JSON. */
    public Map<String, Object> wireForm() {
        var wire = new LinkedHashMap<String, Object>();
        wire.put("event_id", eventId.toString());
        wire.put("event", event.wireName());
        wire.put("api_version", API_VERSION);
        wire.put("tenant_id", tenantId.toString());
        wire.put("instance_id", instanceId.toString());
        wire.put("instance_name", instanceName);
        wire.put("occurred_at", occurredAt.toString());
        var ordered = new LinkedHashMap<String, Object>();
        ordered.put("type", data.get("type"));
        data.entrySet().stream().filter(e -> !e.getKey().equals("type"))
                .sorted(Map.Entry.comparingByKey()).forEach(e -> ordered.put(e.getKey(), e.getValue()));
        wire.put("data", ordered);
        return wire;
    }
}
