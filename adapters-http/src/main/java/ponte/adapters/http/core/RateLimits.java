package ponte.adapters.http.core;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fixed-window limits per key (a tenant, a token) on resilience4j limiters. Every limited response carries the
 * {@code RateLimit-*} headers; a refused one also carries {@code Retry-After}.
 */
public final class RateLimits {
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public void acquire(Context ctx, String name, String key, int perMinute) {
        var window = windows.computeIfAbsent(name + ":" + key, ignored -> new Window(perMinute));
        var allowed = window.limiter.acquirePermission();
        var reset = window.secondsToReset();
        ctx.header("RateLimit-Limit", Integer.toString(perMinute));
        ctx.header("RateLimit-Remaining", Integer.toString(Math.max(0, window.limiter.getMetrics()
                .getAvailablePermissions())));
        ctx.header("RateLimit-Reset", Long.toString(reset));
        if (!allowed) {
            ctx.header("Retry-After", Long.toString(reset));
            throw new ApiException(ErrorCode.RATE_LIMITED, "rate limit of " + perMinute
                    + " requests per minute exceeded; retry in " + reset + " s");
        }
    }

    private static final class Window {
        private static final Duration PERIOD = Duration.ofMinutes(1);
        private final RateLimiter limiter;
        // resilience4j counts its windows from the limiter's creation, which is this moment
        private final long startNanos = System.nanoTime();

        Window(int perMinute) {
            this.limiter = RateLimiter.of("ponte", RateLimiterConfig.custom()
                    .limitForPeriod(perMinute)
                    .limitRefreshPeriod(PERIOD)
                    .timeoutDuration(Duration.ZERO)
                    .build());
        }

        long secondsToReset() {
            long period = PERIOD.toNanos();
            long left = period - Math.floorMod(System.nanoTime() - startNanos, period);
            return Math.max(1, Duration.ofNanos(left).toSeconds() + (left % 1_000_000_000L == 0 ? 0 : 1));
        }
    }
}
