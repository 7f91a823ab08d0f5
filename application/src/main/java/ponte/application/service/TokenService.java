package ponte.application.service;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import ponte.application.error.ConflictException;
import ponte.application.error.ForbiddenException;
import ponte.application.error.NotFoundException;
import ponte.application.model.AccountToken;
import ponte.application.port.in.TokensUseCase;
import ponte.application.port.out.IdGenerator;
import ponte.application.port.out.SecretGenerator;
import ponte.application.port.out.TenantStore;
import ponte.application.port.out.TokenStore;
import ponte.application.port.out.Transactions;
import ponte.domain.auth.Principal;
import ponte.domain.auth.TokenKind;
import ponte.domain.validation.ValidationException;

/**
 * Account tokens a tenant manages itself (or the operator for it) and the regeneration of an instance's token.
 * Revoking a tenant's last live account token is refused: a tenant without one could not issue another, and only
 * the operator could let it back in. Rotation is therefore "issue the new one, move to it, revoke the old one".
 */
final class TokenService implements TokensUseCase {
    /** The kind prefix and four characters: enough to tell tokens apart, far too little to guess one. */
    static final int SHOWN_CHARACTERS = 8;
    static final int MAX_LABEL = 100;

    private final TenantStore tenants;
    private final TokenStore tokens;
    private final InstanceAccess access;
    private final Transactions transactions;
    private final IdGenerator ids;
    private final SecretGenerator secrets;
    private final Clock clock;

    TokenService(TenantStore tenants, TokenStore tokens, InstanceAccess access, Transactions transactions,
                 IdGenerator ids, SecretGenerator secrets, Clock clock) {
        this.tenants = tenants;
        this.tokens = tokens;
        this.access = access;
        this.transactions = transactions;
        this.ids = ids;
        this.secrets = secrets;
        this.clock = clock;
    }

    @Override
    public List<AccountToken> list(Principal caller, UUID tenantId) {
        requireTenant(caller, tenantId);
        tenants.find(tenantId).orElseThrow(() -> notFound(tenantId));
        return tokens.liveAccountTokens(tenantId);
    }

    @Override
    public IssuedToken issue(Principal caller, UUID tenantId, String label) {
        requireTenant(caller, tenantId);
        var cleanLabel = label == null || label.isBlank() ? null : label.strip();
        if (cleanLabel != null && cleanLabel.length() > MAX_LABEL) {
            throw ValidationException.of("label", "must be at most " + MAX_LABEL + " characters");
        }
        return transactions.inTransaction(() -> {
            tenants.lock(tenantId).orElseThrow(() -> notFound(tenantId));
            return issueAccountToken(tenantId, cleanLabel);
        });
    }

    /** A new account token of this tenant, inside the caller's transaction. */
    IssuedToken issueAccountToken(UUID tenantId, String label) {
        var secret = secrets.next(TokenPrefix.ACCOUNT, TokenPrefix.ENTROPY_BYTES);
        var tokenId = ids.newId();
        var now = clock.instant();
        var prefix = shown(secret);
        tokens.insert(tokenId, new Principal(TokenKind.ACCOUNT, tokenId, tenantId, null), TokenHash.of(secret), now,
                prefix, label);
        return new IssuedToken(new AccountToken(tokenId, prefix, label, now, null), secret);
    }

    @Override
    public void revoke(Principal caller, UUID tenantId, UUID tokenId) {
        requireTenant(caller, tenantId);
        transactions.run(() -> {
            tenants.lock(tenantId).orElseThrow(() -> notFound(tenantId));
            var live = tokens.liveAccountTokens(tenantId);
            if (live.stream().noneMatch(token -> token.id().equals(tokenId))) {
                throw new NotFoundException("token " + tokenId + " not found");
            }
            if (live.size() == 1) {
                throw new ConflictException("this is the tenant's last account token: issue another "
                        + "(POST /v1/tenants/" + tenantId + "/tokens) before revoking it");
            }
            tokens.revokeAccountToken(tenantId, tokenId, clock.instant());
        });
    }

    @Override
    public IssuedToken regenerateInstanceToken(Principal caller, String instanceIdOrName) {
        return transactions.inTransaction(() -> {
            var instance = access.resolve(caller, instanceIdOrName);
            var now = clock.instant();
            tokens.revokeForInstance(instance.id(), now);
            var secret = secrets.next(TokenPrefix.INSTANCE, TokenPrefix.ENTROPY_BYTES);
            var tokenId = ids.newId();
            var prefix = shown(secret);
            tokens.insert(tokenId, new Principal(TokenKind.INSTANCE, tokenId, instance.tenantId(), instance.id()),
                    TokenHash.of(secret), now, prefix, null);
            return new IssuedToken(new AccountToken(tokenId, prefix, null, now, null), secret);
        });
    }

    /** The admin reaches every tenant; an account token its own only (another's is not found); nothing else. */
    private static void requireTenant(Principal caller, UUID tenantId) {
        switch (caller.kind()) {
            case ADMIN -> { }
            case ACCOUNT -> {
                if (!caller.tenantId().equals(tenantId)) {
                    throw notFound(tenantId);
                }
            }
            case INSTANCE -> throw new ForbiddenException("account tokens are managed with an account token");
        }
    }

    private static String shown(String secret) {
        return secret.substring(0, Math.min(SHOWN_CHARACTERS, secret.length()));
    }

    private static NotFoundException notFound(UUID id) {
        return new NotFoundException("tenant " + id + " not found");
    }
}
