package ponte.adapters.persistence.jdbi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.statement.SqlStatement;
import ponte.application.model.Page;
import ponte.application.model.PageRequest;
import ponte.application.port.out.InstanceStore;
import ponte.application.port.out.SessionDirectory;
import ponte.domain.instance.DisconnectReason;
import ponte.domain.instance.Instance;
import ponte.domain.instance.InstanceName;
import ponte.domain.instance.InstanceStatus;
import ponte.domain.instance.LinkedAccount;

public final class JdbiInstanceStore implements InstanceStore, SessionDirectory {
    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {};

    private final JdbiSession session;
    private final ObjectMapper json;

    public JdbiInstanceStore(JdbiSession session, ObjectMapper json) {
        this.session = session;
        this.json = json;
    }

    @Override
    public void insert(Instance instance) {
        session.uniquely(h -> bindAll(h.createUpdate("""
                        insert into instances (id, tenant_id, name, status, status_reason, phone_number, lid,
                                               push_name, platform, metadata, last_seen_at, created_at, updated_at)
                        values (:id, :tenant, :name, :status, :reason, :phone, :lid, :push, :platform,
                                cast(:metadata as jsonb), :seen, :created, :updated)"""), instance)
                .execute(), "an instance named '" + instance.name() + "' already exists");
    }

    @Override
    public void update(Instance instance) {
        session.useHandle(h -> bindAll(h.createUpdate("""
                        update instances set status = :status, status_reason = :reason, phone_number = :phone,
                               lid = :lid, push_name = :push, platform = :platform, metadata = cast(:metadata as jsonb),
                               last_seen_at = :seen, updated_at = :updated
                        where id = :id and tenant_id = :tenant and deleted_at is null"""), instance)
                .execute());
    }

    @Override
    public Optional<Instance> find(UUID tenantId, UUID id) {
        return session.withHandle(h -> h.createQuery(
                        "select * from instances where tenant_id = :tenant and id = :id and deleted_at is null")
                .bind("tenant", tenantId)
                .bind("id", id)
                .map((rs, ctx) -> map(rs))
                .findOne());
    }

    @Override
    public Optional<Instance> findByName(UUID tenantId, String name) {
        return session.withHandle(h -> h.createQuery(
                        "select * from instances where tenant_id = :tenant and name = :name and deleted_at is null")
                .bind("tenant", tenantId)
                .bind("name", name)
                .map((rs, ctx) -> map(rs))
                .findOne());
    }

    @Override
    public Optional<Instance> findLive(UUID id) {
        return session.withHandle(h -> h.createQuery("select * from instances where id = :id and deleted_at is null")
                .bind("id", id)
                .map((rs, ctx) -> map(rs))
                .findOne());
    }

    @Override
    public java.util.List<Instance> listLinked() {
        return session.withHandle(h -> h.createQuery(
                        "select * from instances where deleted_at is null and phone_number is not null order by id")
                .map((rs, ctx) -> map(rs))
                .list());
    }

    @Override
    public java.util.List<Instance> listActive() {
        return session.withHandle(h -> h.createQuery("""
                        select * from instances where deleted_at is null
                        and status in ('qr', 'connecting', 'connected') order by id""")
                .map((rs, ctx) -> map(rs))
                .list());
    }

    @Override
    public java.util.List<UUID> liveIds(UUID tenantId) {
        return session.withHandle(h -> h.createQuery(
                        "select id from instances where tenant_id = :tenant and deleted_at is null")
                .bind("tenant", tenantId)
                .mapTo(UUID.class)
                .list());
    }

    @Override
    public java.util.List<Instance> listLinked(UUID tenantId) {
        return session.withHandle(h -> h.createQuery("""
                        select * from instances
                        where tenant_id = :tenant and deleted_at is null and phone_number is not null
                        order by id desc""")
                .bind("tenant", tenantId)
                .map((rs, ctx) -> map(rs))
                .list());
    }

    @Override
    public Page<Instance> list(UUID tenantId, String nameFilter, PageRequest page) {
        var after = Cursors.decode(page.cursor());
        var rows = session.withHandle(h -> h.createQuery("""
                        select * from instances
                        where tenant_id = :tenant and deleted_at is null
                          and (cast(:name as text) is null or name = :name)
                          and (cast(:after as uuid) is null or id < cast(:after as uuid))
                        order by id desc limit :limit""")
                .bind("tenant", tenantId)
                .bind("name", nameFilter)
                .bind("after", after)
                .bind("limit", page.limit() + 1)
                .map((rs, ctx) -> map(rs))
                .list());
        return Cursors.page(rows, page.limit(), Instance::id);
    }

    @Override
    public int countLive(UUID tenantId) {
        return session.withHandle(h -> h.createQuery(
                        "select count(*) from instances where tenant_id = :tenant and deleted_at is null")
                .bind("tenant", tenantId)
                .mapTo(Integer.class)
                .one());
    }

    @Override
    public void softDelete(UUID id, Instant at) {
        session.useHandle(h -> h.createUpdate("update instances set deleted_at = :at where id = :id")
                .bind("id", id)
                .bind("at", Times.toDb(at))
                .execute());
    }

    @Override
    public void softDeleteAllOfTenant(UUID tenantId, Instant at) {
        session.useHandle(h -> h.createUpdate(
                        "update instances set deleted_at = :at where tenant_id = :tenant and deleted_at is null")
                .bind("tenant", tenantId)
                .bind("at", Times.toDb(at))
                .execute());
    }

    private <S extends SqlStatement<S>> S bindAll(S statement, Instance instance) {
        var account = instance.account();
        return statement
                .bind("id", instance.id())
                .bind("tenant", instance.tenantId())
                .bind("name", instance.name().value())
                .bind("status", instance.status().wireName())
                .bind("reason", instance.statusReason() == null ? null : instance.statusReason().wireName())
                .bind("phone", account.phoneNumber())
                .bind("lid", account.lid())
                .bind("push", account.pushName())
                .bind("platform", account.platform())
                .bind("metadata", writeJson(instance.metadata()))
                .bind("seen", Times.toDb(instance.lastSeenAt()))
                .bind("created", Times.toDb(instance.createdAt()))
                .bind("updated", Times.toDb(instance.updatedAt()));
    }

    private Instance map(ResultSet rs) throws SQLException {
        var reason = rs.getString("status_reason");
        return new Instance(
                rs.getObject("id", UUID.class),
                rs.getObject("tenant_id", UUID.class),
                new InstanceName(rs.getString("name")),
                InstanceStatus.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)),
                reason == null ? null : DisconnectReason.valueOf(reason.toUpperCase(Locale.ROOT)),
                new LinkedAccount(rs.getString("phone_number"), rs.getString("lid"), rs.getString("push_name"),
                        rs.getString("platform")),
                readJson(rs.getString("metadata")),
                Times.read(rs, "last_seen_at"),
                Times.read(rs, "created_at"),
                Times.read(rs, "updated_at"));
    }

    private String writeJson(Map<String, Object> value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("metadata is not serialisable as JSON", e);
        }
    }

    private Map<String, Object> readJson(String value) {
        try {
            return json.readValue(value, JSON_OBJECT);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored metadata is not a JSON object", e);
        }
    }
}
