package ponte.adapters.http.core;

import io.javalin.http.Context;
import ponte.application.error.ForbiddenException;
import ponte.application.error.UnauthorizedException;
import ponte.application.port.in.AuthenticateUseCase;
import ponte.domain.auth.Principal;

/**
 * Reads the token from {@code Authorization: Bearer}, {@code token:} or {@code apikey:} (what users of other
 * gateways send), or from {@code ?token=} on the routes a browser's WebSocket or EventSource must reach.
 */
public final class Authenticator {
    private static final String ATTRIBUTE = "ponte.principal";

    private final AuthenticateUseCase authenticate;

    public Authenticator(AuthenticateUseCase authenticate) {
        this.authenticate = authenticate;
    }

    public Principal require(Context ctx, Access access, boolean queryTokenAllowed) {
        var principal = authenticate.authenticate(tokenOf(ctx, queryTokenAllowed));
        if (!access.admits(principal.kind())) {
            throw new ForbiddenException("this route needs " + access.describe() + "; this is "
                    + (principal.isAdmin() ? "the admin token" : "an " + principal.kind().wireName() + " token"));
        }
        ctx.attribute(ATTRIBUTE, principal);
        return principal;
    }

    public static Principal principal(Context ctx) {
        Principal principal = ctx.attribute(ATTRIBUTE);
        if (principal == null) {
            throw new UnauthorizedException("a token is required");
        }
        return principal;
    }

    /** The caller of an authenticated request, or null when the route was public or authentication failed. */
    public static Principal principalOrNull(Context ctx) {
        return ctx.attribute(ATTRIBUTE);
    }

    private static String tokenOf(Context ctx, boolean queryTokenAllowed) {
        var authorization = ctx.header("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).strip();
        }
        var token = ctx.header("token");
        if (token != null && !token.isBlank()) {
            return token.strip();
        }
        var apiKey = ctx.header("apikey");
        if (apiKey != null && !apiKey.isBlank()) {
            return apiKey.strip();
        }
        return queryTokenAllowed ? ctx.queryParam("token") : null;
    }
}
