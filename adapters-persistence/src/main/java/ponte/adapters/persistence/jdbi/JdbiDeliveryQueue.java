package ponte.adapters.persistence.jdbi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import ponte.application.model.DeliveryAttempt;
import ponte.application.model.DeliveryStatus;
import ponte.application.port.out.DeliveryQueue;
import ponte.domain.event.EventType;

/** Pending webhook deliveries as a work queue over webhook_deliveries and webhook_attempts, shared by every node. */
public final class JdbiDeliveryQueue implements DeliveryQueue {
    private final JdbiSession session;
    private final ObjectMapper json;

    public JdbiDeliveryQueue(JdbiSession session, ObjectMapper json) {
        this.session = session;
        this.json = json;
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
                                   w.authorization_sealed, w.headers, w.media_base64
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
    public boolean recordAttempt(UUID deliveryId, UUID claimToken, DeliveryAttempt attempt, DeliveryStatus next,
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
                    .bind("status", next.wireName())
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
                        .bind("status", outcome.next().wireName())
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

    private ClaimedDelivery claimed(ResultSet rs, UUID claimToken) throws SQLException {
        Webhook webhook = null;
        if (rs.getObject("webhook_id") != null) {
            webhook = new Webhook(rs.getBytes("secret_sealed"), rs.getBytes("authorization_sealed"),
                    readHeaders(rs.getString("headers")), rs.getBoolean("media_base64"));
        }
        return new ClaimedDelivery(rs.getObject("id", UUID.class), claimToken, rs.getObject("event_id", UUID.class),
                EventType.fromWire(rs.getString("event")).orElseThrow(), rs.getString("url"),
                rs.getString("payload"), rs.getInt("attempts"), rs.getInt("round_attempts"),
                Times.read(rs, "round_started_at"), webhook);
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
