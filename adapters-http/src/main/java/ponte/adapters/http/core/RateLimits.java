package ponte.adapters.http.core;

import io.javalin.http.Context;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's one rate limiter: a token bucket per limit and key (a tenant, a client address). A bucket holds at
 * most {@link Limit#perMinute} permits, starts full and refills continuously at {@code perMinute} per minute, so a
 * client may burst up to a minute's budget and then goes on at the steady rate. Every limit of the API runs on it:
 * requests and sends per tenant, instance creations per tenant, failed authentications per client address.
 *
 * <p>Buckets live in this node's memory: with several gateway nodes behind a load balancer each node counts for
 * itself (docs/configuration.md says so). Not resilience4j's {@code RateLimiter}: that one hands out a fixed number of
 * permits per refresh cycle (no burst carried over, no continuous refill) and is built for a few named limiters, not
 * for one per tenant.
 */
public final class RateLimits {
    private static final long MINUTE_NANOS = Duration.ofMinutes(1).toNanos();
    /** Past this many buckets, those that have refilled completely (they hold no state) are dropped. */
    private static final int PRUNE_ABOVE = 10_000;

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** A named limit: {@code perMinute} permits a minute, up to {@code perMinute} at once. */
    public record Limit(String name, int perMinute) {
        public Limit {
            if (perMinute < 1) {
                throw new IllegalArgumentException("a limit needs at least one permit a minute");
            }
        }
    }

    /**
     * Takes one permit of {@code limit} for {@code key}, or throws {@code RATE_LIMITED} (429) with
     * {@code Retry-After} (whole seconds until a permit is back). Either way the response carries
     * {@code RateLimit-Limit} (the permits a minute), {@code RateLimit-Remaining} (permits left now) and
     * {@code RateLimit-Reset} (seconds until the bucket is full again).
     */
    public void acquire(Context ctx, Limit limit, String key) {
        var bucket = bucket(limit, key);
        long now = System.nanoTime();
        boolean taken;
        double left;
        synchronized (bucket) {
            bucket.refill(now);
            taken = bucket.tokens >= 1;
            if (taken) {
                bucket.tokens -= 1;
            }
            left = bucket.tokens;
        }
        ctx.header("RateLimit-Limit", Integer.toString(limit.perMinute()));
        ctx.header("RateLimit-Remaining", Long.toString((long) Math.floor(left)));
        ctx.header("RateLimit-Reset", Long.toString(seconds(limit, limit.perMinute() - left)));
        if (!taken) {
            refuse(ctx, limit, left, "rate limit of " + limit.perMinute() + " " + limit.name()
                    + " per minute exceeded");
        }
    }

    /**
     * Throws {@code RATE_LIMITED} with {@code Retry-After} when {@code key} has no permit of {@code limit} left, without
     * taking one: for limits counted after the fact ({@link #spend}), as failed authentications are.
     */
    public void requireLeft(Context ctx, Limit limit, String key, String refusal) {
        var bucket = bucket(limit, key);
        double left;
        synchronized (bucket) {
            bucket.refill(System.nanoTime());
            left = bucket.tokens;
        }
        if (left < 1) {
            refuse(ctx, limit, left, refusal);
        }
    }

    /** Takes one permit of {@code limit} for {@code key} if there is one: something to count happened. */
    public void spend(Limit limit, String key) {
        var bucket = bucket(limit, key);
        synchronized (bucket) {
            bucket.refill(System.nanoTime());
            bucket.tokens = Math.max(0, bucket.tokens - 1);
        }
    }

    private static void refuse(Context ctx, Limit limit, double left, String refusal) {
        long retry = seconds(limit, 1 - left);
        ctx.header("Retry-After", Long.toString(retry));
        throw new ApiException(ErrorCode.RATE_LIMITED, refusal + "; retry in " + retry + " s");
    }

    /** Whole seconds (at least 1) until {@code permits} more have been refilled. */
    private static long seconds(Limit limit, double permits) {
        double nanos = Math.max(0, permits) * MINUTE_NANOS / limit.perMinute();
        return Math.max(1, (long) Math.ceil(nanos / 1e9));
    }

    private Bucket bucket(Limit limit, String key) {
        if (buckets.size() > PRUNE_ABOVE) {
            long now = System.nanoTime();
            buckets.values().removeIf(bucket -> bucket.fullAt(now));
        }
        return buckets.computeIfAbsent(limit.name() + ":" + key, ignored -> new Bucket(limit.perMinute()));
    }

    private static final class Bucket {
        private final int capacity;
        private double tokens;
        private long updated;

        Bucket(int capacity) {
            this.capacity = capacity;
            this.tokens = capacity;
            this.updated = System.nanoTime();
        }

        void refill(long now) {
            tokens = Math.min(capacity, tokens + (double) (now - updated) * capacity / MINUTE_NANOS);
            updated = now;
        }

        synchronized boolean fullAt(long now) {
            return tokens + (double) (now - updated) * capacity / MINUTE_NANOS >= capacity;
        }
    }
}
