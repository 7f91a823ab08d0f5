package ponte.adapters.http.core;

import io.javalin.http.Handler;
import java.util.UUID;
import java.util.function.BiFunction;
import ponte.application.error.UnauthorizedException;
import ponte.domain.validation.ValidationException;
import ponte.domain.auth.Principal;

/**
 * What runs before every route's own handler: metrics tag, the body's size cap ({@link BodyLimits}: an announced
 * length over it is refused before anything else), the failed-authentication limit of the client's address,
 * authentication, access check, the tenant's rate limits ({@link RateLimits}) and, on a route of one instance, that
 * the caller may reach that instance. The last comes before the handler reads anything else of the request (and on a
 * tenant's route, that an account token names its own tenant), so another tenant's (or a sibling's) instance is 404
 * whatever the body or query says: a stranger never learns how the route would have judged its input (API.md:
 * another tenant's resource is always 404).
 */
public final class RoutePipeline {
    private final Authenticator authenticator;
    private final RateLimits rateLimits;
    private final RateLimits.Limit requests;
    private final RateLimits.Limit authFailures;
    private final BodyLimits bodyLimits;
    private final BiFunction<Principal, String, UUID> instanceReachable;

    /**
     * @param requests          requests a tenant's tokens (account and instance tokens together) may make; the admin
     *                          token, of no tenant, has a bucket of its own
     * @param authFailures      failed authentications (a missing, unknown or revoked token) a client address may make;
     *                          past them the address is refused whatever token it sends, until its budget refills
     *                          (answering a right guess differently from a wrong one would let the guessing go on).
     *                          Tokens carry 256 random bits: this is defence in depth against a noisy or probing
     *                          client, not what keeps tokens safe. Behind a reverse proxy every client shares the
     *                          proxy's address
     * @param instanceReachable the id of the instance named by this id or name; throws the API's not-found error
     *                          when the caller may not reach it (as the instances use case's {@code get} does)
     */
    public RoutePipeline(Authenticator authenticator, RateLimits rateLimits, RateLimits.Limit requests,
                         RateLimits.Limit authFailures, BodyLimits bodyLimits,
                         BiFunction<Principal, String, UUID> instanceReachable) {
        this.authenticator = authenticator;
        this.rateLimits = rateLimits;
        this.requests = requests;
        this.authFailures = authFailures;
        this.bodyLimits = bodyLimits;
        this.instanceReachable = instanceReachable;
    }

    public Handler wrap(Route route) {
        long bodyCap = bodyLimits.of(route);
        return ctx -> {
            HttpMetrics.matched(ctx, route.path());
            BodyLimits.admit(ctx, bodyCap);
            if (route.access() != Access.PUBLIC) {
                rateLimits.requireLeft(ctx, authFailures, ctx.ip(),
                        "too many failed authentications from this address");
                Principal principal;
                try {
                    principal = authenticator.require(ctx, route.access(), route.queryTokenAllowed());
                } catch (UnauthorizedException e) {
                    rateLimits.spend(authFailures, ctx.ip());
                    throw e;
                }
                // the admin token belongs to no tenant: it has a bucket of its own
                var tenant = principal.isAdmin() ? "admin" : principal.tenantId().toString();
                rateLimits.acquire(ctx, requests, tenant);
                if (route.rateLimit() != null) {
                    rateLimits.acquire(ctx, route.rateLimit(), tenant);
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
