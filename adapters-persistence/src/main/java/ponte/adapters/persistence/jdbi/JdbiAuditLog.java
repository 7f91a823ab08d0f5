package ponte.adapters.persistence.jdbi;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import ponte.application.model.AuditEntry;
import ponte.application.model.Page;
import ponte.application.model.PageRequest;
import ponte.application.port.out.AuditLog;
import ponte.domain.auth.TokenKind;

/** The audit log over the {@code audit_log} table, newest first by its time-ordered ids. */
public final class JdbiAuditLog implements AuditLog {
    private final JdbiSession session;

    public JdbiAuditLog(JdbiSession session) {
        this.session = session;
    }

    @Override
    public void append(AuditEntry entry) {
        session.useHandle(h -> h.createUpdate("""
                        insert into audit_log (id, tenant_id, actor_kind, actor_token_id, method, route, path,
                                               resource_id, status, at)
                        values (:id, cast(:tenant as uuid), :kind, cast(:token as uuid), :method, :route, :path,
                                :resource, :status, :at)""")
                .bind("id", entry.id())
                .bind("tenant", entry.tenantId())
                .bind("kind", entry.actorKind().wireName())
                .bind("token", entry.actorTokenId())
                .bind("method", entry.method())
                .bind("route", entry.route())
                .bind("path", entry.path())
                .bind("resource", entry.resourceId())
                .bind("status", entry.status())
                .bind("at", Times.toDb(entry.at()))
                .execute());
    }

    @Override
    public Page<AuditEntry> list(UUID tenantId, PageRequest page) {
        var after = Cursors.decode(page.cursor());
        var rows = session.withHandle(h -> h.createQuery("""
                        select * from audit_log
                        where (cast(:tenant as uuid) is null or tenant_id = cast(:tenant as uuid))
                          and (cast(:after as uuid) is null or id < cast(:after as uuid))
                        order by id desc limit :limit""")
                .bind("tenant", tenantId)
                .bind("after", after)
                .bind("limit", page.limit() + 1)
                .map((rs, ctx) -> new AuditEntry(rs.getObject("id", UUID.class),
                        rs.getObject("tenant_id", UUID.class),
                        TokenKind.valueOf(rs.getString("actor_kind").toUpperCase(Locale.ROOT)),
                        rs.getObject("actor_token_id", UUID.class), rs.getString("method"), rs.getString("route"),
                        rs.getString("path"), rs.getString("resource_id"), rs.getInt("status"),
                        Times.read(rs, "at")))
                .list());
        return Cursors.page(rows, page.limit(), AuditEntry::id);
    }

    @Override
    public int purgeBefore(Instant before) {
        return session.withHandle(h -> h.createUpdate("delete from audit_log where at < :before")
                .bind("before", Times.toDb(before))
                .execute());
    }
}
