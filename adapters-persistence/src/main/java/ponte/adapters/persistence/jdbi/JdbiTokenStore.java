package ponte.adapters.persistence.jdbi;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import ponte.application.port.out.TokenStore;
import ponte.domain.auth.Principal;
import ponte.domain.auth.TokenKind;

public final class JdbiTokenStore implements TokenStore {
    private final JdbiSession session;

    public JdbiTokenStore(JdbiSession session) {
        this.session = session;
    }

    @Override
    public void insert(UUID id, Principal owner, byte[] tokenHash, Instant createdAt) {
        session.uniquely(h -> h.createUpdate("""
                        insert into api_tokens (id, kind, tenant_id, instance_id, token_hash, created_at)
                        values (:id, :kind, :tenant, cast(:instance as uuid), :hash, :created)""")
                .bind("id", id)
                .bind("kind", owner.kind().wireName())
                .bind("tenant", owner.tenantId())
                .bind("instance", owner.instanceId())
                .bind("hash", tokenHash)
                .bind("created", Times.toDb(createdAt))
                .execute(), "this token is already in use");
    }

    @Override
    public Optional<Principal> findLive(byte[] tokenHash) {
        // a token dies with its tenant and its instance, whichever goes first
        return session.withHandle(h -> h.createQuery("""
                        select t.id, t.kind, t.tenant_id, t.instance_id from api_tokens t
                        join tenants tn on tn.id = t.tenant_id and tn.deleted_at is null
                        left join instances i on i.id = t.instance_id
                        where t.token_hash = :hash and t.revoked_at is null
                          and (t.instance_id is null or i.deleted_at is null)""")
                .bind("hash", tokenHash)
                .map((rs, ctx) -> new Principal(
                        TokenKind.valueOf(rs.getString("kind").toUpperCase(java.util.Locale.ROOT)),
                        rs.getObject("id", UUID.class),
                        rs.getObject("tenant_id", UUID.class),
                        rs.getObject("instance_id", UUID.class)))
                .findOne());
    }

    @Override
    public boolean isTaken(byte[] tokenHash) {
        return session.withHandle(h -> h.createQuery(
                        "select exists (select 1 from api_tokens where token_hash = :hash and revoked_at is null)")
                .bind("hash", tokenHash)
                .mapTo(Boolean.class)
                .one());
    }

    @Override
    public void revokeForInstance(UUID instanceId, Instant at) {
        session.useHandle(h -> h.createUpdate(
                        "update api_tokens set revoked_at = :at where instance_id = :id and revoked_at is null")
                .bind("id", instanceId)
                .bind("at", Times.toDb(at))
                .execute());
    }

    @Override
    public void revokeForTenant(UUID tenantId, Instant at) {
        session.useHandle(h -> h.createUpdate(
                        "update api_tokens set revoked_at = :at where tenant_id = :id and revoked_at is null")
                .bind("id", tenantId)
                .bind("at", Times.toDb(at))
                .execute());
    }
}
