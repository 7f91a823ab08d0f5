package ponte.adapters.persistence.jdbi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import ponte.application.model.AccountToken;
import ponte.application.port.out.TokenStore;
import ponte.domain.auth.Principal;
import ponte.domain.auth.TokenKind;

public final class JdbiTokenStore implements TokenStore {
    private final JdbiSession session;

    public JdbiTokenStore(JdbiSession session) {
        this.session = session;
    }

    @Override
    public void insert(UUID id, Principal owner, byte[] tokenHash, Instant createdAt, String displayPrefix,
                       String label) {
        session.uniquely(h -> h.createUpdate("""
                        insert into api_tokens (id, kind, tenant_id, instance_id, token_hash, created_at,
                                                display_prefix, label)
                        values (:id, :kind, :tenant, cast(:instance as uuid), :hash, :created, :prefix, :label)""")
                .bind("prefix", displayPrefix)
                .bind("label", label)
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

    @Override
    public List<AccountToken> liveAccountTokens(UUID tenantId) {
        return session.withHandle(h -> h.createQuery("""
                        select t.id, t.display_prefix, t.label, t.created_at, u.last_used_at
                        from api_tokens t left join api_token_usage u on u.token_id = t.id
                        where t.tenant_id = :tenant and t.kind = 'account' and t.revoked_at is null
                        order by t.id desc""")
                .bind("tenant", tenantId)
                .map((rs, ctx) -> new AccountToken(rs.getObject("id", UUID.class), rs.getString("display_prefix"),
                        rs.getString("label"), Times.read(rs, "created_at"),
                        Times.read(rs, "last_used_at")))
                .list());
    }

    @Override
    public boolean revokeAccountToken(UUID tenantId, UUID tokenId, Instant at) {
        return session.withHandle(h -> h.createUpdate("""
                        update api_tokens set revoked_at = :at
                        where id = :id and tenant_id = :tenant and kind = 'account' and revoked_at is null""")
                .bind("id", tokenId)
                .bind("tenant", tenantId)
                .bind("at", Times.toDb(at))
                .execute()) == 1;
    }

    @Override
    public void recordUse(UUID tokenId, Instant at) {
        session.useHandle(h -> h.createUpdate("""
                        insert into api_token_usage (token_id, last_used_at) values (:id, :at)
                        on conflict (token_id) do update set last_used_at = greatest(api_token_usage.last_used_at,
                                                                                     excluded.last_used_at)""")
                .bind("id", tokenId)
                .bind("at", Times.toDb(at))
                .execute());
    }
}
