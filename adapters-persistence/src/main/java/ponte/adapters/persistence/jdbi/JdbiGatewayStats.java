package ponte.adapters.persistence.jdbi;

import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import ponte.application.port.out.GatewayStatsStore;
import ponte.domain.instance.InstanceStatus;

/** Two aggregate queries across every tenant, run at each metrics scrape (both use an index or a small scan). */
public final class JdbiGatewayStats implements GatewayStatsStore {
    private final JdbiSession session;

    public JdbiGatewayStats(JdbiSession session) {
        this.session = session;
    }

    @Override
    public Map<InstanceStatus, Long> instancesByStatus() {
        return session.withHandle(h -> {
            var counts = new EnumMap<InstanceStatus, Long>(InstanceStatus.class);
            h.createQuery("select status, count(*) as n from instances where deleted_at is null group by status")
                    .map((rs, ctx) -> Map.entry(rs.getString("status"), rs.getLong("n")))
                    .forEach(row -> counts.put(InstanceStatus.valueOf(row.getKey().toUpperCase(Locale.ROOT)),
                            row.getValue()));
            return counts;
        });
    }

    @Override
    public Backlog deliveryBacklog() {
        // the partial index webhook_deliveries_due covers exactly the pending rows
        return session.withHandle(h -> h.createQuery(
                        "select count(*) as n, min(created_at) as oldest from webhook_deliveries where status = 'pending'")
                .map((rs, ctx) -> {
                    var oldest = rs.getObject("oldest", OffsetDateTime.class);
                    return new Backlog(rs.getLong("n"),
                            Optional.ofNullable(oldest).map(OffsetDateTime::toInstant));
                })
                .one());
    }
}
