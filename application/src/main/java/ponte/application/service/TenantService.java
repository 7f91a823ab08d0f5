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

    TenantService(TenantStore tenants, TokenStore tokens, InstanceStore instances, Transactions transactions,
                  IdGenerator ids, SecretGenerator secrets, SessionControlPort sessions, Clock clock) {
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
            instances.softDeleteAllOfTenant(id, now);
            transactions.afterCommit(() -> doomed.forEach(sessions::discard));
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
