package ponte.adapters.http.core;

import io.javalin.http.Handler;
import ponte.application.error.UnauthorizedException;
import ponte.domain.validation.ValidationException;
import ponte.domain.auth.Principal;

/**
 * What runs before every route's own handler: metrics tag, the failed-authentication limit of the client's address
 * ({@link AuthFailures}), authentication, access check, rate limits and, on a route
 * of one instance, that the caller may reach that instance. The last comes before the handler reads anything else of
 * the request (and on a tenant's route, that an account token names its own tenant), so another tenant's (or a
 * sibling's) instance is 404 whatever the body or query says: a stranger never
 * learns how the route would have judged its input (API.md: another tenant's resource is always 404).
 */
public final class RoutePipeline {
    private final Authenticator authenticator;
    private final RateLimits rateLimits;
    private final int requestsPerMinute;
    private final java.util.function.BiFunction<Principal, String, java.util.UUID> instanceReachable;
    private final AuthFailures authFailures;

    /**
     * @param instanceReachable the id of the instance named by this id or name; throws the API's not-found error
     *                          when the caller may not reach it (as the instances use case's {@code get} does)
     */
    public RoutePipeline(Authenticator authenticator, RateLimits rateLimits, int requestsPerMinute,
                         java.util.function.BiFunction<Principal, String, java.util.UUID> instanceReachable,
                         AuthFailures authFailures) {
        this.authenticator = authenticator;
        this.rateLimits = rateLimits;
        this.requestsPerMinute = requestsPerMinute;
        this.instanceReachable = instanceReachable;
        this.authFailures = authFailures;
    }

    public Handler wrap(Route route) {
        return ctx -> {
            HttpMetrics.matched(ctx, route.path());
            if (route.access() != Access.PUBLIC) {
                authFailures.checkAllowed(ctx);
                Principal principal;
                try {
                    principal = authenticator.require(ctx, route.access(), route.queryTokenAllowed());
                } catch (UnauthorizedException e) {
                    authFailures.failed(ctx);
                    throw e;
                }
                var caller = principal.isAdmin() ? "admin" : principal.tokenId().toString();
                rateLimits.acquire(ctx, "requests", caller, requestsPerMinute);
                if (route.rateLimit() != null) {
                    var key = principal.tenantId() != null ? principal.tenantId().toString() : caller;
                    rateLimits.acquire(ctx, route.rateLimit().name(), key, route.rateLimit().perMinute());
                }
                var instance = instanceParameter(route.path());
                if (instance != null) {
                    // the audit log names the instance by its id, whether the path used the id or the name
                    AuditTrail.instance(ctx, instanceReachable.apply(principal, ctx.pathParam(instance)));
                }
                requireOwnTenant(principal, route.path(), ctx);
            }
            refuseNulInQuery(ctx);
            AuditTrail.reached(ctx);
            route.handler().handle(ctx);
        };
    }

    /**
     * The NUL character in a query parameter, name or value, is refused as a validation error naming the parameter,
     * as it is in bodies ({@link Bodies}): no text the gateway keeps or looks up may hold it (PostgreSQL's
     * {@code text} cannot, and a lookup with it fails in the database instead of finding nothing). A NUL in the
     * path never gets here: the server refuses it ({@link ServerErrors}).
     */
    private static void refuseNulInQuery(io.javalin.http.Context ctx) {
        for (var parameter : ctx.queryParamMap().entrySet()) {
            if (parameter.getKey().indexOf('\u0000') >= 0
                    || parameter.getValue().stream().anyMatch(value -> value.indexOf('\u0000') >= 0)) {
                throw ValidationException.of(parameter.getKey().replace("\u0000", ""),
                        "must not contain the NUL character (U+0000)");
            }
        }
    }

    /**
     * On a tenant's route ({@code /v1/tenants/{id}/...}) an account token reaches its own tenant only: another
     * tenant is not found, before anything else of the request is read.
     */
    private static void requireOwnTenant(Principal principal, String path, io.javalin.http.Context ctx) {
        if (!principal.isAccount() || !path.startsWith("/v1/tenants/{id}")) {
            return;
        }
        var raw = ctx.pathParam("id");
        boolean own;
        try {
            own = java.util.UUID.fromString(raw).equals(principal.tenantId());
        } catch (IllegalArgumentException e) {
            own = false;
        }
        if (!own) {
            throw new ponte.application.error.NotFoundException("tenant " + raw + " not found");
        }
    }

    /** The path parameter naming the one instance a route works on, or null for a route of no single instance. */
    public static String instanceParameter(String path) {
        if (path.startsWith("/v1/instances/{id}")) {
            return "id";
        }
        return path.equals("/ws/{name}") ? "name" : null;
    }
}
