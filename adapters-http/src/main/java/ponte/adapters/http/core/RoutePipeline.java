package ponte.adapters.http.core;

import io.javalin.http.Handler;
import ponte.domain.auth.Principal;

/** What runs before every route's own handler: metrics tag, authentication, access check and rate limits. */
public final class RoutePipeline {
    private final Authenticator authenticator;
    private final RateLimits rateLimits;
    private final int requestsPerMinute;

    public RoutePipeline(Authenticator authenticator, RateLimits rateLimits, int requestsPerMinute) {
        this.authenticator = authenticator;
        this.rateLimits = rateLimits;
        this.requestsPerMinute = requestsPerMinute;
    }

    public Handler wrap(Route route) {
        return ctx -> {
            HttpMetrics.matched(ctx, route.path());
            if (route.access() != Access.PUBLIC) {
                Principal principal = authenticator.require(ctx, route.access(), route.queryTokenAllowed());
                var caller = principal.isAdmin() ? "admin" : principal.tokenId().toString();
                rateLimits.acquire(ctx, "requests", caller, requestsPerMinute);
                if (route.rateLimit() != null) {
                    var key = principal.tenantId() != null ? principal.tenantId().toString() : caller;
                    rateLimits.acquire(ctx, route.rateLimit().name(), key, route.rateLimit().perMinute());
                }
            }
            route.handler().handle(ctx);
        };
    }
}
