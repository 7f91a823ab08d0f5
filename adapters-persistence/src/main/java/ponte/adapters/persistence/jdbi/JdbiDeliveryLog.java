package ponte.adapters.persistence.jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import ponte.application.model.Delivery;
import ponte.application.model.DeliveryAttempt;
import ponte.application.model.DeliveryDetail;
import ponte.application.model.DeliveryStatus;
import ponte.application.model.Page;
import ponte.application.model.PageRequest;
import ponte.application.port.out.DeliveryLog;

/**
 * The delivery log over webhook_deliveries and webhook_attempts, read within one tenant; and its retention, which
 * also covers the Chatwoot mirror's finished deliveries (chatwoot_deliveries), kept as long as webhook ones.
 */
public final class JdbiDeliveryLog implements DeliveryLog {
    private final JdbiSession session;

    public JdbiDeliveryLog(JdbiSession session) {
        this.session = session;
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
                .bind("status", filter.status() == null ? null : filter.status().wireName())
                .bind("event", filter.event())
                .bind("after", after)
                .bind("limit", page.limit() + 1)
                .map((rs, ctx) -> delivery(rs)).list());
        return Cursors.page(rows, page.limit(), Delivery::id);
    }

    @Override
    public Optional<DeliveryDetail> find(UUID tenantId, UUID deliveryId) {
        return session.withHandle(h -> h.createQuery("""
                        select d.*, e.payload from webhook_deliveries d join events e on e.id = d.event_id
                        where d.id = :id and d.tenant_id = :tenant""")
                .bind("id", deliveryId).bind("tenant", tenantId)
                .map((rs, ctx) -> new DeliveryDetail(delivery(rs), List.of(), rs.getString("payload"))).findOne()
                .map(detail -> new DeliveryDetail(detail.delivery(), attempts(h, deliveryId), detail.payload())));
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
                PgChannels.notify(h, PgChannels.DELIVERIES, "");
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
            deliveries += h.createUpdate("""
                            delete from chatwoot_deliveries where status <> 'pending' and updated_at < :before""")
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

    private static List<DeliveryAttempt> attempts(Handle h, UUID deliveryId) {
        return h.createQuery("select * from webhook_attempts where delivery_id = :id order by number")
                .bind("id", deliveryId)
                .map((rs, ctx) -> new DeliveryAttempt(Times.read(rs, "at"), (Integer) rs.getObject("status_code"),
                        rs.getString("error"), rs.getLong("duration_ms")))
                .list();
    }

    private static Delivery delivery(ResultSet rs) throws SQLException {
        return new Delivery(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class),
                rs.getObject("instance_id", UUID.class), rs.getObject("event_id", UUID.class), rs.getString("event"),
                rs.getString("label"), rs.getString("url"),
                DeliveryStatus.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)), rs.getInt("attempts"),
                Times.read(rs, "next_attempt_at"), (Integer) rs.getObject("last_status_code"),
                rs.getString("last_error"), Times.read(rs, "created_at"));
    }
}
