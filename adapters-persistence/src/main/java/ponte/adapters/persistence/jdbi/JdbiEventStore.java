package ponte.adapters.persistence.jdbi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import ponte.application.port.out.DeliveryLog;
import ponte.application.port.out.DeliveryQueue;
import ponte.application.port.out.EventOutbox;
import ponte.application.port.out.Page;
import ponte.application.port.out.PageRequest;
import ponte.domain.event.EventEnvelope;
import ponte.domain.event.EventType;

/**
 * The outbox, the delivery queue and the delivery log over the events, webhook_deliveries and webhook_attempts
 * tables. NOTIFYs are sent inside the caller's transaction: PostgreSQL delivers them only on commit.
 */
public final class JdbiEventStore implements EventOutbox, DeliveryQueue, DeliveryLog {
    /** Payload {@code <node>|<instance>|<event id>|<event type>}: the live hubs of other nodes. */
    public static final String EVENTS_CHANNEL = "ponte_events";
    /** Empty payload: deliveries became due; every node's dispatcher wakes. */
    public static final String DELIVERIES_CHANNEL = "ponte_deliveries";

    private final JdbiSession session;
    private final ObjectMapper json;
    private final UUID nodeId;

    public JdbiEventStore(JdbiSession session, ObjectMapper json, UUID nodeId) {
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
                notify(h, DELIVERIES_CHANNEL, "");
            }
            notify(h, EVENTS_CHANNEL, nodeId + "|" + event.instanceId() + "|" + event.eventId() + "|"
                    + event.event().wireName());
        });
    }

    @Override
    public Optional<String> payload(UUID eventId) {
        return session.withHandle(h -> h.createQuery("select payload from events where id = :id")
                .bind("id", eventId).mapTo(String.class).findOne());
    }

    @Override
    public List<ClaimedDelivery> claim(int max, Instant now, Instant leaseUntil, UUID claimToken) {
        return session.inTransaction(() -> session.withHandle(h -> {
            var ids = h.createQuery("""
                            with due as (
                                select id from webhook_deliveries
                                where status = 'pending' and next_attempt_at <= :now
                                  and (claimed_until is null or claimed_until < :now)
                                order by next_attempt_at
                                limit :max
                                for update skip locked)
                            update webhook_deliveries d set claim_token = :token, claimed_until = :until,
                                round_started_at = coalesce(d.round_started_at, :now)
                            from due where d.id = due.id
                            returning d.id""")
                    .bind("now", Times.toDb(now))
                    .bind("max", max)
                    .bind("token", claimToken)
                    .bind("until", Times.toDb(leaseUntil))
                    .mapTo(UUID.class).list();
            if (ids.isEmpty()) {
                return List.<ClaimedDelivery>of();
            }
            return h.createQuery("""
                            select d.id, d.event_id, d.event, d.url, d.attempts, d.round_attempts,
                                   d.round_started_at, e.payload, w.id as webhook_id, w.secret_sealed,
                                   w.authorization_sealed, w.headers
                            from webhook_deliveries d
                            join events e on e.id = d.event_id
                            left join webhooks w on w.id = d.webhook_id
                            where d.id = any(:ids)
                            order by d.next_attempt_at""")
                    .bindArray("ids", UUID.class, ids)
                    .map((rs, ctx) -> claimed(rs, claimToken)).list();
        }));
    }

    @Override
    public boolean recordAttempt(UUID deliveryId, UUID claimToken, Attempt attempt, Status next,
                                 Instant nextAttemptAt) {
        return session.inTransaction(() -> session.withHandle(h -> {
            var number = h.createQuery("""
                            update webhook_deliveries set attempts = attempts + 1, round_attempts = round_attempts + 1,
                                status = :status, next_attempt_at = :next, claim_token = null, claimed_until = null,
                                last_status_code = :code, last_error = :error, updated_at = :at
                            where id = :id and claim_token = :token
                            returning attempts""")
                    .bind("id", deliveryId)
                    .bind("token", claimToken)
                    .bind("status", next.name().toLowerCase(Locale.ROOT))
                    .bind("next", Times.toDb(nextAttemptAt))
                    .bind("code", attempt.statusCode())
                    .bind("error", attempt.error())
                    .bind("at", Times.toDb(attempt.at()))
                    .mapTo(Integer.class).findOne();
            number.ifPresent(n -> h.createUpdate("""
                            insert into webhook_attempts (delivery_id, number, at, status_code, error, duration_ms)
                            values (:id, :number, :at, :code, :error, :duration)""")
                    .bind("id", deliveryId)
                    .bind("number", n)
                    .bind("at", Times.toDb(attempt.at()))
                    .bind("code", attempt.statusCode())
                    .bind("error", attempt.error())
                    .bind("duration", attempt.durationMs())
                    .execute());
            return number.isPresent();
        }));
    }

    @Override
    public List<Boolean> recordAll(List<Outcome> outcomes) {
        if (outcomes.isEmpty()) {
            return List.of();
        }
        return session.inTransaction(() -> session.withHandle(h -> {
            // the attempt first, while the claim token still proves the claim; then the delivery lets go of it
            var attempts = h.prepareBatch("""
                    insert into webhook_attempts (delivery_id, number, at, status_code, error, duration_ms)
                    select :id, :number, :at, cast(:code as integer), cast(:error as text), :duration
                    where exists (select 1 from webhook_deliveries where id = :id and claim_token = :token)""");
            var deliveries = h.prepareBatch("""
                    update webhook_deliveries set attempts = :number, round_attempts = round_attempts + 1,
                        status = :status, next_attempt_at = :next, claim_token = null, claimed_until = null,
                        last_status_code = :code, last_error = :error, updated_at = :at
                    where id = :id and claim_token = :token""");
            for (var outcome : outcomes) {
                var attempt = outcome.attempt();
                attempts.bind("id", outcome.deliveryId()).bind("token", outcome.claimToken())
                        .bind("number", outcome.number()).bind("at", Times.toDb(attempt.at()))
                        .bind("code", attempt.statusCode()).bind("error", attempt.error())
                        .bind("duration", attempt.durationMs()).add();
                deliveries.bind("id", outcome.deliveryId()).bind("token", outcome.claimToken())
                        .bind("number", outcome.number()).bind("at", Times.toDb(attempt.at()))
                        .bind("code", attempt.statusCode()).bind("error", attempt.error())
                        .bind("status", outcome.next().name().toLowerCase(Locale.ROOT))
                        .bind("next", Times.toDb(outcome.nextAttemptAt())).add();
            }
            attempts.execute();
            var updated = deliveries.execute();
            return java.util.Arrays.stream(updated).mapToObj(count -> count > 0).toList();
        }));
    }

    @Override
    public void postpone(UUID deliveryId, UUID claimToken, Instant until) {
        session.useHandle(h -> h.createUpdate("""
                        update webhook_deliveries set next_attempt_at = :until, claim_token = null, claimed_until = null
                        where id = :id and claim_token = :token""")
                .bind("id", deliveryId).bind("token", claimToken).bind("until", Times.toDb(until)).execute());
    }

    @Override
    public int failPending(UUID webhookId, String error, Instant now) {
        return session.withHandle(h -> h.createUpdate("""
                        update webhook_deliveries set status = 'failed', next_attempt_at = null, claim_token = null,
                            claimed_until = null, last_error = :error, updated_at = :now
                        where webhook_id = :webhook and status = 'pending'""")
                .bind("webhook", webhookId).bind("error", error).bind("now", Times.toDb(now)).execute());
    }

    @Override
    public Page<Delivery> list(UUID tenantId, Filter filter, PageRequest page) {
        var after = Cursors.decode(page.cursor());
        var rows = session.withHandle(h -> h.createQuery("""
                        select * from webhook_deliveries
                        where tenant_id = :tenant
                          and (cast(:instance as uuid) is null or instance_id = cast(:instance as uuid))
                          and (cast(:status as text) is null or status = :status)
                          and (cast(:event as text) is null or event = :event)
                          and (cast(:after as uuid) is null or id < cast(:after as uuid))
                        order by id desc limit :limit""")
                .bind("tenant", tenantId)
                .bind("instance", filter.instanceId())
                .bind("status", filter.status() == null ? null : filter.status().name().toLowerCase(Locale.ROOT))
                .bind("event", filter.event())
                .bind("after", after)
                .bind("limit", page.limit() + 1)
                .map((rs, ctx) -> delivery(rs)).list());
        return Cursors.page(rows, page.limit(), Delivery::id);
    }

    @Override
    public Optional<Detail> find(UUID tenantId, UUID deliveryId) {
        return session.withHandle(h -> h.createQuery("""
                        select d.*, e.payload from webhook_deliveries d join events e on e.id = d.event_id
                        where d.id = :id and d.tenant_id = :tenant""")
                .bind("id", deliveryId).bind("tenant", tenantId)
                .map((rs, ctx) -> new Detail(delivery(rs), List.of(), rs.getString("payload"))).findOne()
                .map(detail -> new Detail(detail.delivery(), attempts(h, deliveryId), detail.payload())));
    }

    @Override
    public boolean redeliver(UUID tenantId, UUID deliveryId, Instant now) {
        return session.withHandle(h -> {
            var changed = h.createUpdate("""
                            update webhook_deliveries set status = 'pending', next_attempt_at = :now,
                                round_attempts = 0, round_started_at = null, claim_token = null,
                                claimed_until = null, updated_at = :now
                            where id = :id and tenant_id = :tenant""")
                    .bind("id", deliveryId).bind("tenant", tenantId).bind("now", Times.toDb(now)).execute();
            if (changed > 0) {
                notify(h, DELIVERIES_CHANNEL, "");
            }
            return changed > 0;
        });
    }

    @Override
    public int purgeBefore(Instant before) {
        return session.inTransaction(() -> session.withHandle(h -> {
            int deliveries = h.createUpdate("""
                            delete from webhook_deliveries where status <> 'pending' and updated_at < :before""")
                    .bind("before", Times.toDb(before)).execute();
            int events = h.createUpdate("""
                            delete from events e where e.created_at < :before
                            and not exists (select 1 from webhook_deliveries d where d.event_id = e.id)""")
                    .bind("before", Times.toDb(before)).execute();
            // a deleted instance's webhooks (with their sealed credentials) go once nothing waits for them
            h.createUpdate("""
                            delete from webhooks w using instances i
                            where i.id = w.instance_id and i.deleted_at is not null
                            and not exists (select 1 from webhook_deliveries d
                                            where d.webhook_id = w.id and d.status = 'pending')""")
                    .execute();
            return deliveries + events;
        }));
    }

    private static List<Attempt> attempts(Handle h, UUID deliveryId) {
        return h.createQuery("select * from webhook_attempts where delivery_id = :id order by number")
                .bind("id", deliveryId)
                .map((rs, ctx) -> new Attempt(Times.read(rs, "at"), (Integer) rs.getObject("status_code"),
                        rs.getString("error"), rs.getLong("duration_ms")))
                .list();
    }

    private static void notify(Handle h, String channel, String payload) {
        h.createQuery("select pg_notify(:channel, :payload)").bind("channel", channel).bind("payload", payload)
                .mapTo(String.class).findOne();
    }

    private static Delivery delivery(ResultSet rs) throws SQLException {
        return new Delivery(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class),
                rs.getObject("instance_id", UUID.class), rs.getObject("event_id", UUID.class), rs.getString("event"),
                rs.getString("label"), rs.getString("url"),
                Status.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)), rs.getInt("attempts"),
                Times.read(rs, "next_attempt_at"), (Integer) rs.getObject("last_status_code"),
                rs.getString("last_error"), Times.read(rs, "created_at"));
    }

    private ClaimedDelivery claimed(ResultSet rs, UUID claimToken) throws SQLException {
        Webhook webhook = null;
        if (rs.getObject("webhook_id") != null) {
            webhook = new Webhook(rs.getBytes("secret_sealed"), rs.getBytes("authorization_sealed"),
                    readHeaders(rs.getString("headers")));
        }
        return new ClaimedDelivery(rs.getObject("id", UUID.class), claimToken, rs.getObject("event_id", UUID.class),
                EventType.fromWire(rs.getString("event")).orElseThrow(), rs.getString("url"),
                rs.getString("payload"), rs.getInt("attempts"), rs.getInt("round_attempts"),
                Times.read(rs, "round_started_at"), webhook);
    }

    private String write(Map<String, Object> wire) {
        try {
            return json.writeValueAsString(wire);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event data is not serialisable as JSON", e);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, String> readHeaders(String headers) {
        try {
            return json.readValue(headers, Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored headers are not a JSON object", e);
        }
    }
}
