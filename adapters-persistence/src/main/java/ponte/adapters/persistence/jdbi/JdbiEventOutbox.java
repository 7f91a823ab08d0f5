package ponte.adapters.persistence.jdbi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import ponte.application.port.out.EventOutbox;
import ponte.domain.event.EventEnvelope;

/**
 * The outbox over the events table: an event and its first deliveries in the caller's transaction, then a NOTIFY
 * that other nodes' live hubs (and waiters for an instance's changes) hear on commit.
 */
public final class JdbiEventOutbox implements EventOutbox {
    private final JdbiSession session;
    private final ObjectMapper json;
    private final UUID nodeId;

    public JdbiEventOutbox(JdbiSession session, ObjectMapper json, UUID nodeId) {
        this.session = session;
        this.json = json;
        this.nodeId = nodeId;
    }

    @Override
    public void append(EventEnvelope event, Instant storedAt, List<NewDelivery> deliveries) {
        var payload = write(event.wireForm());
        var now = Times.toDb(storedAt);
        session.useHandle(h -> {
            h.createUpdate("""
                            insert into events (id, tenant_id, instance_id, event, payload, occurred_at, created_at)
                            values (:id, :tenant, :instance, :event, :payload, :occurred, :created)""")
                    .bind("id", event.eventId())
                    .bind("tenant", event.tenantId())
                    .bind("instance", event.instanceId())
                    .bind("event", event.event().wireName())
                    .bind("payload", payload)
                    .bind("occurred", Times.toDb(event.occurredAt()))
                    .bind("created", now)
                    .execute();
            if (!deliveries.isEmpty()) {
                var batch = h.prepareBatch("""
                        insert into webhook_deliveries (id, tenant_id, instance_id, event_id, event, webhook_id, label,
                            url, status, next_attempt_at, created_at, updated_at)
                        values (:id, :tenant, :instance, :event_id, :event, :webhook, :label, :url, 'pending',
                            :next, :created, :created)""");
                for (var delivery : deliveries) {
                    batch.bind("id", delivery.id())
                            .bind("tenant", event.tenantId())
                            .bind("instance", event.instanceId())
                            .bind("event_id", event.eventId())
                            .bind("event", event.event().wireName())
                            .bind("webhook", delivery.webhookId())
                            .bind("label", delivery.label())
                            .bind("url", delivery.url())
                            .bind("next", Times.toDb(delivery.firstAttemptAt()))
                            .bind("created", now)
                            .add();
                }
                batch.execute();
                PgChannels.notify(h, PgChannels.DELIVERIES, "");
            }
            PgChannels.notify(h, PgChannels.EVENTS, nodeId + "|" + event.instanceId() + "|" + event.eventId() + "|"
                    + event.event().wireName());
        });
    }

    @Override
    public Optional<String> payload(UUID eventId) {
        return session.withHandle(h -> h.createQuery("select payload from events where id = :id")
                .bind("id", eventId).mapTo(String.class).findOne());
    }

    private String write(Map<String, Object> wire) {
        try {
            return json.writeValueAsString(wire);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event data is not serialisable as JSON", e);
        }
    }
}
