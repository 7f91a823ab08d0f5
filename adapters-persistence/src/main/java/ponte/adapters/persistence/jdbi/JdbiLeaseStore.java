package ponte.adapters.persistence.jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import ponte.application.model.GatewayNode;
import ponte.application.model.LeaseFence;
import ponte.application.port.out.LeaseStore;

/**
 * The instance_leases and gateway_nodes tables. Every expiry is computed by PostgreSQL from its own {@code now()};
 * a lease time travels as milliseconds and is only ever added to it.
 */
public final class JdbiLeaseStore implements LeaseStore {
    /** Resumable instances: live, linked, and not stopped for a reason that forbids reconnecting on our own. */
    private static final String RESUMABLE = """
            i.deleted_at is null and i.phone_number is not null
            and (i.status_reason is null or i.status_reason <> all(:stopping))""";

    private final JdbiSession session;

    public JdbiLeaseStore(JdbiSession session) {
        this.session = session;
    }

    @Override
    public void join(NodeRecord node) {
        session.useHandle(h -> h.createUpdate("""
                        insert into gateway_nodes (id, address, version, max_sessions)
                        values (:id, :address, :version, :max)
                        on conflict (id) do update set address = excluded.address, version = excluded.version,
                            max_sessions = excluded.max_sessions, started_at = now(), heartbeat_at = now()""")
                .bind("id", node.id()).bind("address", node.address()).bind("version", node.version())
                .bind("max", node.maxSessions().orElse(null))
                .execute());
    }

    @Override
    public List<LeaseFence> renew(UUID node, Duration leaseTime) {
        return session.withHandle(h -> h.createQuery("""
                        with beat as (update gateway_nodes set heartbeat_at = now() where id = :node)
                        update instance_leases l set expires_at = now() + :ms * interval '1 millisecond'
                        where l.node_id = :node and l.expires_at > now()
                          and exists (select 1 from instances i where i.id = l.instance_id and i.deleted_at is null)
                        returning l.instance_id, l.node_id, l.epoch""")
                .bind("node", node).bind("ms", leaseTime.toMillis())
                .map((rs, ctx) -> fence(rs))
                .list());
    }

    @Override
    public List<LeaseFence> acquireResumable(UUID node, int limit, Set<String> stoppingReasons, Duration leaseTime) {
        if (limit <= 0) {
            return List.of();
        }
        // the candidates' instance rows are locked SKIP LOCKED: two nodes taking at once split them, never wait
        return session.withHandle(h -> h.createQuery("""
                        with candidates as (
                            select i.id from instances i left join instance_leases l on l.instance_id = i.id
                            where %s and (l.instance_id is null or l.node_id is null or l.expires_at <= now())
                            order by i.id limit :limit
                            for update of i skip locked)
                        insert into instance_leases (instance_id, node_id, epoch, expires_at, acquired_at)
                        select id, :node, 1, now() + :ms * interval '1 millisecond', now() from candidates
                        on conflict (instance_id) do update set node_id = excluded.node_id,
                            epoch = instance_leases.epoch + 1, expires_at = excluded.expires_at, acquired_at = now()
                        where instance_leases.node_id is null or instance_leases.expires_at <= now()
                        returning instance_id, node_id, epoch""".formatted(RESUMABLE))
                .bind("node", node).bind("limit", limit).bind("ms", leaseTime.toMillis())
                .bind("stopping", stoppingReasons.toArray(String[]::new))
                .map((rs, ctx) -> fence(rs))
                .list());
    }

    @Override
    public Optional<LeaseFence> acquire(UUID node, UUID instanceId, Duration leaseTime) {
        return session.withHandle(h -> h.createQuery("""
                        insert into instance_leases (instance_id, node_id, epoch, expires_at, acquired_at)
                        values (:instance, :node, 1, now() + :ms * interval '1 millisecond', now())
                        on conflict (instance_id) do update set node_id = excluded.node_id,
                            epoch = case when instance_leases.node_id = excluded.node_id
                                          and instance_leases.expires_at > now()
                                         then instance_leases.epoch else instance_leases.epoch + 1 end,
                            expires_at = excluded.expires_at,
                            acquired_at = case when instance_leases.node_id = excluded.node_id
                                                and instance_leases.expires_at > now()
                                               then instance_leases.acquired_at else now() end
                        where instance_leases.node_id is null or instance_leases.node_id = excluded.node_id
                           or instance_leases.expires_at <= now()
                        returning instance_id, node_id, epoch""")
                .bind("instance", instanceId).bind("node", node).bind("ms", leaseTime.toMillis())
                .map((rs, ctx) -> fence(rs))
                .findOne());
    }

    @Override
    public void release(UUID node, Collection<UUID> instanceIds) {
        if (instanceIds.isEmpty()) {
            return;
        }
        session.useHandle(h -> {
            h.createUpdate("""
                            update instance_leases set node_id = null, expires_at = now()
                            where node_id = :node and instance_id = any(:ids)""")
                    .bind("node", node).bind("ids", instanceIds.toArray(UUID[]::new))
                    .execute();
            wakeOthers(h, node);
        });
    }

    @Override
    public void leave(UUID node) {
        session.useHandle(h -> {
            h.createUpdate("update instance_leases set node_id = null, expires_at = now() where node_id = :node")
                    .bind("node", node).execute();
            h.createUpdate("delete from gateway_nodes where id = :node").bind("node", node).execute();
            wakeOthers(h, node);
        });
    }

    @Override
    public Fleet fleet(UUID node, Duration liveWithin, Set<String> stoppingReasons) {
        return session.withHandle(h -> h.createQuery("""
                        select (select count(*) from gateway_nodes
                                where heartbeat_at > now() - :ms * interval '1 millisecond') as nodes,
                               (select count(*) from instances i where %1$s) as resumable,
                               (select count(*) from instances i join instance_leases l on l.instance_id = i.id
                                where %1$s and l.node_id = :node and l.expires_at > now()) as held"""
                        .formatted(RESUMABLE))
                .bind("ms", liveWithin.toMillis()).bind("node", node)
                .bind("stopping", stoppingReasons.toArray(String[]::new))
                .map((rs, ctx) -> new Fleet(rs.getInt("nodes"), rs.getInt("resumable"), rs.getInt("held")))
                .one());
    }

    @Override
    public List<GatewayNode> nodes() {
        return session.withHandle(h -> h.createQuery("""
                        select n.*, (select count(*) from instance_leases l
                                     where l.node_id = n.id and l.expires_at > now()) as sessions
                        from gateway_nodes n order by n.heartbeat_at desc, n.id""")
                .map((rs, ctx) -> new GatewayNode(rs.getObject("id", UUID.class), rs.getString("address"),
                        rs.getString("version"), Optional.ofNullable((Integer) rs.getObject("max_sessions")),
                        Times.read(rs, "started_at"), Times.read(rs, "heartbeat_at"), rs.getInt("sessions")))
                .list());
    }

    @Override
    public Optional<Holder> holder(UUID instanceId) {
        return session.withHandle(h -> h.createQuery("""
                        select l.node_id, coalesce(n.address, '') as address, l.epoch, l.expires_at
                        from instance_leases l left join gateway_nodes n on n.id = l.node_id
                        where l.instance_id = :instance and l.node_id is not null and l.expires_at > now()""")
                .bind("instance", instanceId)
                .map((rs, ctx) -> new Holder(rs.getObject("node_id", UUID.class), rs.getString("address"),
                        rs.getLong("epoch"), Times.read(rs, "expires_at")))
                .findOne());
    }

    /** Other nodes take released leases at once instead of at their next tick (delivered on commit). */
    private static void wakeOthers(Handle h, UUID node) {
        PgChannels.notify(h, PgChannels.LEASES, node.toString());
    }

    private static LeaseFence fence(ResultSet rs) throws SQLException {
        return new LeaseFence(rs.getObject("instance_id", UUID.class), rs.getObject("node_id", UUID.class),
                rs.getLong("epoch"));
    }
}
