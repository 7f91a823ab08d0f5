package ponte.adapters.http.core;

import ponte.domain.auth.TokenKind;

/** Which tokens a route admits, as in the scope table of the API contract. */
public enum Access {
    /** No token: health, metrics, the API document. */
    PUBLIC,
    /** Any valid token. */
    ANY_TOKEN,
    ADMIN,
    ACCOUNT,
    /**
     * The admin token, or an account token (which the route then scopes to its own tenant: another tenant's is not
     * found).
     */
    ADMIN_OR_ACCOUNT,
    /** An account token of the tenant, or the token of the instance named in the path. */
    ACCOUNT_OR_INSTANCE;

    public boolean admits(TokenKind kind) {
        return switch (this) {
            case PUBLIC, ANY_TOKEN -> true;
            case ADMIN -> kind == TokenKind.ADMIN;
            case ACCOUNT -> kind == TokenKind.ACCOUNT;
            case ADMIN_OR_ACCOUNT -> kind == TokenKind.ADMIN || kind == TokenKind.ACCOUNT;
            case ACCOUNT_OR_INSTANCE -> kind == TokenKind.ACCOUNT || kind == TokenKind.INSTANCE;
        };
    }

    public String describe() {
        return switch (this) {
            case PUBLIC -> "no token";
            case ANY_TOKEN -> "any token";
            case ADMIN -> "the admin token";
            case ACCOUNT -> "an account token";
            case ADMIN_OR_ACCOUNT -> "the admin token, or an account token";
            case ACCOUNT_OR_INSTANCE -> "an account token, or the instance's own token";
        };
    }
}
