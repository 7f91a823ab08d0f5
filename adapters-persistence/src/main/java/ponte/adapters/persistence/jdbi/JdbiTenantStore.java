package ponte.adapters.persistence.jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import ponte.application.model.Page;
import ponte.application.model.PageRequest;
import ponte.application.port.out.TenantStore;
import ponte.domain.tenant.Tenant;

public final class JdbiTenantStore implements TenantStore {
    private final JdbiSession session;

    public JdbiTenantStore(JdbiSession session) {
        this.session = session;
    }

    @Override
    public void insert(Tenant tenant) {
        session.useHandle(h -> h.createUpdate("""
                        insert into tenants (id, name, max_instances, created_at)
                        values (:id, :name, :max, :created)""")
                .bind("id", tenant.id())
                .bind("name", tenant.name())
                .bind("max", tenant.maxInstances())
                .bind("created", Times.toDb(tenant.createdAt()))
                .execute());
    }

    @Override
    public Optional<Tenant> find(UUID id) {
        return session.withHandle(h -> h.createQuery("select * from tenants where id = :id and deleted_at is null")
                .bind("id", id)
                .map((rs, ctx) -> map(rs))
                .findOne());
    }

    @Override
    public Optional<Tenant> lock(UUID id) {
        return session.withHandle(h -> h.createQuery(
                        "select * from tenants where id = :id and deleted_at is null for update")
                .bind("id", id)
                .map((rs, ctx) -> map(rs))
                .findOne());
    }

    @Override
    public Page<Tenant> list(PageRequest page) {
        var after = Cursors.decode(page.cursor());
        var rows = session.withHandle(h -> h.createQuery("""
                        select * from tenants
                        where deleted_at is null and (cast(:after as uuid) is null or id < cast(:after as uuid))
                        order by id desc limit :limit""")
                .bind("after", after)
                .bind("limit", page.limit() + 1)
                .map((rs, ctx) -> map(rs))
                .list());
        return Cursors.page(rows, page.limit(), Tenant::id);
    }

    @Override
    public void softDelete(UUID id, Instant at) {
        session.useHandle(h -> h.createUpdate("update tenants set deleted_at = :at where id = :id")
                .bind("id", id)
                .bind("at", Times.toDb(at))
                .execute());
    }

    private static Tenant map(ResultSet rs) throws SQLException {
        return new Tenant(rs.getObject("id", UUID.class), rs.getString("name"), rs.getInt("max_instances"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}
