package ponte.application.service;

import java.time.Clock;
import java.util.UUID;
import ponte.application.error.NotFoundException;
import ponte.application.model.Page;
import ponte.application.model.PageRequest;
import ponte.application.port.in.TenantsUseCase;
import ponte.application.port.out.IdGenerator;
import ponte.application.port.out.InstanceStore;
import ponte.application.port.out.SecretGenerator;
import ponte.application.port.out.SessionControlPort;
import ponte.application.port.out.TenantStore;
import ponte.application.port.out.TokenStore;
import ponte.application.port.out.Transactions;
import ponte.domain.auth.Principal;
import ponte.domain.auth.TokenKind;
import ponte.domain.tenant.Tenant;

final class TenantService implements TenantsUseCase {
    private final SessionControlPort sessions;
    private final TenantStore tenants;
    private final TokenStore tokens;
    private final InstanceStore instances;
    private final Transactions transactions;
    private final IdGenerator ids;
    private final SecretGenerator secrets;
    private final Clock clock;

    private final java.util.function.BiFunction<UUID, UUID, Runnable> mediaRemoval;

    TenantService(TenantStore tenants, TokenStore tokens, InstanceStore instances, Transactions transactions,
                  IdGenerator ids, SecretGenerator secrets, SessionControlPort sessions, Clock clock) {
        this(tenants, tokens, instances, transactions, ids, secrets, sessions, clock, (tenant, id) -> () -> { });
    }

    /** {@code mediaRemoval}: as {@link InstanceService}'s, for each instance the tenant's deletion deletes. */
    TenantService(TenantStore tenants, TokenStore tokens, InstanceStore instances, Transactions transactions,
                  IdGenerator ids, SecretGenerator secrets, SessionControlPort sessions, Clock clock,
                  java.util.function.BiFunction<UUID, UUID, Runnable> mediaRemoval) {
        this.mediaRemoval = mediaRemoval;
        this.sessions = sessions;
        this.tenants = tenants;
        this.tokens = tokens;
        this.instances = instances;
        this.transactions = transactions;
        this.ids = ids;
        this.secrets = secrets;
        this.clock = clock;
    }

    @Override
    public CreatedTenant create(CreateTenantCommand command) {
        var tenant = new Tenant(ids.newId(), command.name().strip(), command.effectiveMaxInstances(), clock.instant());
        return transactions.inTransaction(() -> {
            tenants.insert(tenant);
            return new CreatedTenant(tenant, newAccountToken(tenant.id()));
        });
    }

    @Override
    public Page<Tenant> list(PageRequest page) {
        return tenants.list(page);
    }

    @Override
    public Tenant get(UUID id) {
        return tenants.find(id).orElseThrow(() -> notFound(id));
    }

    @Override
    public void delete(UUID id) {
        transactions.run(() -> {
            tenants.lock(id).orElseThrow(() -> notFound(id));
            var now = clock.instant();
            var doomed = instances.liveIds(id);
            // read before the delete forgets the instances' configuration (their S3 buckets among it)
            var removeMedia = doomed.stream().map(instance -> mediaRemoval.apply(id, instance)).toList();
            instances.softDeleteAllOfTenant(id, now);
            transactions.afterCommit(() -> doomed.forEach(sessions::discard));
            transactions.afterCommit(() -> removeMedia.forEach(Runnable::run));
            tokens.revokeForTenant(id, now);
            tenants.softDelete(id, now);
        });
    }

    private String newAccountToken(UUID tenantId) {
        var token = secrets.next(TokenPrefix.ACCOUNT, TokenPrefix.ENTROPY_BYTES);
        var tokenId = ids.newId();
        tokens.insert(tokenId, new Principal(TokenKind.ACCOUNT, tokenId, tenantId, null), TokenHash.of(token),
                clock.instant(), token.substring(0, TokenService.SHOWN_CHARACTERS), null);
        return token;
    }

    private static NotFoundException notFound(UUID id) {
        return new NotFoundException("tenant " + id + " not found");
    }
}
