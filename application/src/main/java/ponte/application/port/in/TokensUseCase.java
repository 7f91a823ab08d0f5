package ponte.application.port.in;

import java.util.List;
import java.util.UUID;
import ponte.application.model.AccountToken;
import ponte.domain.auth.Principal;

/**
 * Managing tokens: a tenant's account tokens (the admin for any tenant, an account token for its own: another
 * tenant's is not found) and an instance's token.
 */
public interface TokensUseCase {
    /** The tenant's live account tokens, newest first; never the tokens themselves. */
    List<AccountToken> list(Principal caller, UUID tenantId);

    /** A new account token for the tenant, optionally labelled (≤ 100 characters); the token is shown only here. */
    IssuedToken issue(Principal caller, UUID tenantId, String label);

    /**
     * Revokes one account token of the tenant: it stops authenticating at once. Not found when it is not a live
     * account token of that tenant; a conflict when it is the tenant's last live one (issue another first).
     */
    void revoke(Principal caller, UUID tenantId, UUID tokenId);

    /**
     * Replaces the instance's token: the old one stops authenticating at once and the new one is returned, the
     * only time it is shown. For an account token of the instance's tenant or the instance's own token.
     */
    IssuedToken regenerateInstanceToken(Principal caller, String instanceIdOrName);

    /** A token just issued: its id, what it shows of itself, and the token (shown once). */
    record IssuedToken(AccountToken token, String secret) {}
}
