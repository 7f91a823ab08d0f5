package ponte.adapters.persistence.jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.statement.Update;
import ponte.application.port.out.ProxyStore;
import ponte.domain.proxy.ProxyProtocol;

public final class JdbiProxyStore implements ProxyStore {
    private final JdbiSession session;

    public JdbiProxyStore(JdbiSession session) {
        this.session = session;
    }

    @Override
    public Optional<SealedProxy> tenantProxy(UUID tenantId) {
        return session.withHandle(h -> h.createQuery("select * from tenant_proxies where tenant_id = :tenant")
                .bind("tenant", tenantId)
                .map((rs, ctx) -> map(rs))
                .findOne());
    }

    @Override
    public void saveTenantProxy(UUID tenantId, SealedProxy proxy) {
        session.useHandle(h -> bind(h.createUpdate("""
                        insert into tenant_proxies (tenant_id, protocol, host, port, username, password_sealed)
                        values (:tenant, :protocol, :host, :port, :username, :password)
                        on conflict (tenant_id) do update set protocol = excluded.protocol, host = excluded.host,
                            port = excluded.port, username = excluded.username,
                            password_sealed = excluded.password_sealed"""), proxy)
                .bind("tenant", tenantId)
                .execute());
    }

    @Override
    public void deleteTenantProxy(UUID tenantId) {
        session.useHandle(h -> h.createUpdate("delete from tenant_proxies where tenant_id = :tenant")
                .bind("tenant", tenantId)
                .execute());
    }

    @Override
    public Optional<SealedProxy> instanceProxy(UUID tenantId, UUID instanceId) {
        return session.withHandle(h -> h.createQuery(
                        "select * from instance_proxies where tenant_id = :tenant and instance_id = :instance")
                .bind("tenant", tenantId)
                .bind("instance", instanceId)
                .map((rs, ctx) -> map(rs))
                .findOne());
    }

    @Override
    public void saveInstanceProxy(UUID tenantId, UUID instanceId, SealedProxy proxy) {
        session.useHandle(h -> bind(h.createUpdate("""
                        insert into instance_proxies (instance_id, tenant_id, protocol, host, port, username,
                                                      password_sealed)
                        values (:instance, :tenant, :protocol, :host, :port, :username, :password)
                        on conflict (instance_id) do update set protocol = excluded.protocol, host = excluded.host,
                            port = excluded.port, username = excluded.username,
                            password_sealed = excluded.password_sealed"""), proxy)
                .bind("tenant", tenantId)
                .bind("instance", instanceId)
                .execute());
    }

    @Override
    public void deleteInstanceProxy(UUID tenantId, UUID instanceId) {
        session.useHandle(h -> h.createUpdate(
                        "delete from instance_proxies where tenant_id = :tenant and instance_id = :instance")
                .bind("tenant", tenantId)
                .bind("instance", instanceId)
                .execute());
    }

    @Override
    public List<InstanceOverride> overrides(UUID tenantId) {
        return session.withHandle(h -> h.createQuery("""
                        select p.*, i.name as instance_name from instance_proxies p
                        join instances i on i.id = p.instance_id and i.deleted_at is null
                        where p.tenant_id = :tenant order by i.id""")
                .bind("tenant", tenantId)
                .map((rs, ctx) -> new InstanceOverride(rs.getObject("instance_id", UUID.class),
                        rs.getString("instance_name"), map(rs)))
                .list());
    }

    @Override
    public List<UUID> liveInstances(UUID tenantId) {
        return session.withHandle(h -> h.createQuery(
                        "select id from instances where tenant_id = :tenant and deleted_at is null order by id")
                .bind("tenant", tenantId)
                .mapTo(UUID.class)
                .list());
    }

    private static Update bind(Update update, SealedProxy proxy) {
        return update.bind("protocol", proxy.protocol().wireName())
                .bind("host", proxy.host())
                .bind("port", proxy.port())
                .bind("username", proxy.username())
                .bind("password", proxy.sealedPassword());
    }

    private static SealedProxy map(ResultSet rs) throws SQLException {
        return new SealedProxy(ProxyProtocol.fromWire(rs.getString("protocol")).orElseThrow(), rs.getString("host"),
                rs.getInt("port"), rs.getString("username"), rs.getBytes("password_sealed"));
    }
}
