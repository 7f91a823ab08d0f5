package ponte.adapters.http.dto;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import ponte.adapters.http.openapi.Doc;
import ponte.adapters.http.openapi.Example;
import ponte.adapters.http.openapi.Nullable;
import ponte.application.model.AccountToken;
import ponte.application.model.AuditEntry;

/** Request and response bodies of the token and audit routes. */
public final class TokenDtos {
    private TokenDtos() {}

    public record IssueToken(
            @Doc("What the token is for, to tell it apart in the list (at most 100 characters)")
            @Example("crm integration") @Nullable String label) {}

    /** A token as its owner may see it: never the token itself. */
    public record TokenView(
            UUID id,
            @Doc("The token's first characters (its kind prefix and four more); null for tokens issued before "
                    + "prefixes were kept") @Example("ptk_Xb3q") @Nullable String prefix,
            @Nullable String label,
            Instant createdAt,
            @Doc("When it last authenticated a request; written at most once a minute, so it may be up to a minute "
                    + "behind; null when never used") @Nullable Instant lastUsedAt) {
        public static TokenView of(AccountToken token) {
            return new TokenView(token.id(), token.prefix(), token.label(), token.createdAt(), token.lastUsedAt());
        }
    }

    public record Listing(boolean success, List<TokenView> data) {}

    public record Issued(boolean success, TokenView tokenInfo,
                         @Doc("The new token: shown only in this response") String token) {}

    public record Actor(@Doc("admin, account or instance") @Example("account") String kind,
                        @Doc("The id of the token that made the request; null for the admin token")
                        @Nullable UUID tokenId) {}

    public record AuditView(
            UUID id,
            @Doc("The tenant it concerns; null for the operator's own routes") @Nullable UUID tenantId,
            Actor actor,
            @Example("POST") String method,
            @Doc("The route's template") @Example("/v1/instances/{id}/webhooks") String route,
            @Doc("The path requested (no query string)") @Example("/v1/instances/support/webhooks") String path,
            @Doc("The resource named by the path, or the one the request created") @Nullable String resourceId,
            @Doc("The HTTP status of the answer: refused requests are logged too") @Example("201") int status,
            Instant at) {
        public static AuditView of(AuditEntry entry) {
            return new AuditView(entry.id(), entry.tenantId(),
                    new Actor(entry.actorKind().wireName(), entry.actorTokenId()), entry.method(), entry.route(),
                    entry.path(), entry.resourceId(), entry.status(), entry.at());
        }
    }

    public record AuditListing(boolean success, List<AuditView> data,
                               @Doc("Pass as ?cursor= to read the next page; null on the last page")
                               @Nullable String nextCursor) {}
}
