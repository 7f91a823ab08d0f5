package ponte.adapters.http.core;

import io.javalin.http.Context;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Failed authentications (a missing, unknown or revoked token) counted per client address, in fixed one-minute
 * windows. An address that used up its budget is refused with 429 {@code RATE_LIMITED} and {@code Retry-After} for
 * the rest of its window, whatever token it sends then: answering a right guess differently from a wrong one would
 * let the guessing go on. Tokens carry 256 random bits, so this is defence in depth against a noisy or probing
 * client, not what keeps tokens safe. Behind a reverse proxy every client shares the proxy's address.
 */
public final class AuthFailures {
    private static final long WINDOW_NANOS = Duration.ofMinutes(1).toNanos();
    /** Past this many addresses, windows that ended are dropped (a scan from many addresses cannot grow the map). */
    private static final int PRUNE_ABOVE = 10_000;

    private final int perMinute;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /** @param perMinute failed authentications an address may make per minute before it is refused */
    public AuthFailures(int perMinute) {
        this.perMinute = perMinute;
    }

    /** Throws {@code RATE_LIMITED} when the caller's address used up its budget in the current window. */
    public void checkAllowed(Context ctx) {
        var window = current(ctx.ip());
        if (window.failures.get() >= perMinute) {
            var retry = Math.max(1, Duration.ofNanos(WINDOW_NANOS - (System.nanoTime() - window.start)).toSeconds()
                    + 1);
            ctx.header("Retry-After", Long.toString(retry));
            throw new ApiException(ErrorCode.RATE_LIMITED, "too many failed authentications from this address; "
                    + "retry in " + retry + " s");
        }
    }

    /** Counts one failed authentication of the caller's address. */
    public void failed(Context ctx) {
        current(ctx.ip()).failures.incrementAndGet();
    }

    private Window current(String address) {
        long now = System.nanoTime();
        if (windows.size() > PRUNE_ABOVE) {
            windows.values().removeIf(w -> now - w.start >= WINDOW_NANOS);
        }
        return windows.compute(address, (key, window) -> window == null || now - window.start >= WINDOW_NANOS
                ? new Window(now) : window);
    }

    private static final class Window {
        final long start;
        final AtomicInteger failures = new AtomicInteger();

        Window(long start) {
            this.start = start;
        }
    }
}
