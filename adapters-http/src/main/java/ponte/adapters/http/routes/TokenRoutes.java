package ponte.adapters.http.routes;

import java.util.UUID;
import ponte.adapters.http.core.Access;
import ponte.adapters.http.core.AuditTrail;
import ponte.adapters.http.core.Authenticator;
import ponte.adapters.http.core.Bodies;
import ponte.adapters.http.core.Routes;
import ponte.adapters.http.dto.TokenDtos;
import ponte.application.error.NotFoundException;
import ponte.application.port.in.AuditUseCase;
import ponte.application.port.in.TokensUseCase;

/**
 * Tokens a tenant manages (the admin for any tenant, an account token for its own: another tenant's is 404), an
 * instance's token regeneration, and the audit log.
 */
public final class TokenRoutes {
    private TokenRoutes() {}

    public static void register(Routes routes, TokensUseCase tokens, AuditUseCase audit, Bodies bodies) {
        routes.get("/v1/tenants/{id}/tokens").access(Access.ADMIN_OR_ACCOUNT).tag("Tokens")
                .summary("List a tenant's account tokens")
                .description("The live account tokens, newest first, with when each was last used. The tokens "
                        + "themselves are never shown again.")
                .returns(200, TokenDtos.Listing.class).errors(404)
                .handle(ctx -> ctx.json(new TokenDtos.Listing(true, tokens.list(Authenticator.principal(ctx),
                        TenantRoutes.tenantId(ctx.pathParam("id"))).stream().map(TokenDtos.TokenView::of)
                        .toList())));
        routes.post("/v1/tenants/{id}/tokens").access(Access.ADMIN_OR_ACCOUNT).tag("Tokens")
                .summary("Issue another account token")
                .description("The new token is shown only in this response. To rotate a token, issue the new one, "
                        + "move to it, then revoke the old one.")
                .body(TokenDtos.IssueToken.class).returns(201, TokenDtos.Issued.class).errors(404)
                .handle(ctx -> {
                    var body = new String(Bodies.bytes(ctx), java.nio.charset.StandardCharsets.UTF_8).isBlank() ? new TokenDtos.IssueToken(null)
                            : bodies.read(ctx, TokenDtos.IssueToken.class);
                    var issued = tokens.issue(Authenticator.principal(ctx), TenantRoutes.tenantId(ctx.pathParam("id")),
                            body.label());
                    AuditTrail.resource(ctx, issued.token().id());
                    ctx.status(201).json(new TokenDtos.Issued(true, TokenDtos.TokenView.of(issued.token()),
                            issued.secret()));
                });
        routes.delete("/v1/tenants/{id}/tokens/{token_id}").access(Access.ADMIN_OR_ACCOUNT).tag("Tokens")
                .summary("Revoke an account token")
                .description("The token stops working at once (its next request is 401). The tenant's last live "
                        + "account token cannot be revoked (409): issue another first.")
                .returns(204, null).errors(404, 409)
                .handle(ctx -> {
                    var tokenId = tokenId(ctx.pathParam("token_id"));
                    AuditTrail.resource(ctx, tokenId);
                    tokens.revoke(Authenticator.principal(ctx), TenantRoutes.tenantId(ctx.pathParam("id")), tokenId);
                    ctx.status(204);
                });
        routes.post("/v1/instances/{id}/token").access(Access.ACCOUNT_OR_INSTANCE).tag("Tokens")
                .summary("Regenerate the instance's token")
                .description("The old instance token stops working at once; the new one is shown only in this "
                        + "response.")
                .returns(201, TokenDtos.Issued.class).errors(404)
                .handle(ctx -> {
                    var issued = tokens.regenerateInstanceToken(Authenticator.principal(ctx), ctx.pathParam("id"));
                    ctx.status(201).json(new TokenDtos.Issued(true, TokenDtos.TokenView.of(issued.token()),
                            issued.secret()));
                });
        Paging.documented(routes.get("/v1/audit")).access(Access.ADMIN_OR_ACCOUNT).tag("Tokens")
                .summary("Read the audit log")
                .description("Who changed what: one entry per authenticated POST, PUT, PATCH or DELETE, refused ones "
                        + "included, newest first. An account token reads its tenant's entries (the operator's "
                        + "changes to the tenant included); the admin token reads all. No body, secret or token is "
                        + "kept. Entries are kept as long as events (PONTE_EVENT_RETENTION_DAYS).")
                .returns(200, TokenDtos.AuditListing.class)
                .handle(ctx -> {
                    var page = audit.list(Authenticator.principal(ctx), Paging.of(ctx));
                    ctx.json(new TokenDtos.AuditListing(true, page.items().stream().map(TokenDtos.AuditView::of)
                            .toList(), page.nextCursor()));
                });
    }

    private static UUID tokenId(String raw) {
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("token " + raw + " not found");
        }
    }
}
