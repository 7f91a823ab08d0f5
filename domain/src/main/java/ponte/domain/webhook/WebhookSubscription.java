package ponte.domain.webhook;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import ponte.domain.event.EventFilter;
import ponte.domain.event.EventType;

/**
 * One labelled webhook of an instance. Its secret and authorization value are write-only and kept sealed outside
 * this record: the model only knows whether an authorization is set.
 */
public record WebhookSubscription(UUID id, UUID tenantId, UUID instanceId, WebhookLabel label, URI url,
                                  boolean enabled, EventFilter events, boolean byEvents, boolean mediaBase64,
                                  Map<String, String> headers, boolean hasAuthorization, Instant createdAt,
                                  Instant updatedAt) {
    /** At most this many enabled webhooks per instance: each one multiplies every event's deliveries. */
    public static final int MAX_ENABLED_PER_INSTANCE = 3;

    public WebhookSubscription {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(events, "events");
        headers = headers == null ? Map.of() : Map.copyOf(new TreeMap<>(headers));
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    public boolean wants(EventType type) {
        return enabled && events.matches(type);
    }

    /** Where one event goes: the URL, plus {@code /<event>} on its path when {@code by_events} is on. */
    public String targetFor(EventType type) {
        if (!byEvents) {
            return url.toString();
        }
        var raw = url.toString();
        int end = raw.length();
        for (var marker : new String[] {"?", "#"}) {
            int at = raw.indexOf(marker, raw.indexOf("//") + 2);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        var base = raw.substring(0, end);
        var path = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/" + type.wireName();
        return path + raw.substring(end);
    }
}
