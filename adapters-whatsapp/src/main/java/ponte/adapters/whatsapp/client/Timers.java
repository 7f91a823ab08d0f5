package ponte.adapters.whatsapp.client;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The clients' timers (connection attempts, keepalive pings, QR rotation): one scheduler thread for every client of
 * the JVM, which only starts each due task on a virtual thread, so a task may block (write to a socket, store a
 * report) without holding up the others, and the platform thread count does not grow with sessions.
 */
final class Timers {

    private static final Timers SHARED = new Timers(shared("wa-timers"));

    private final ScheduledExecutorService scheduler;

    /** Timers on {@code scheduler}, which the caller owns; tests use their own. */
    Timers(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    /** The one scheduler all clients share; its thread is a daemon and lives as long as the JVM. */
    static Timers shared() {
        return SHARED;
    }

    /** Runs {@code task} on a new virtual thread once {@code delay} has passed; cancelling first prevents it. */
    ScheduledFuture<?> after(Duration delay, Runnable task) {
        return scheduler.schedule(() -> {
            Thread.ofVirtual().name("wa-timer").start(task);
        }, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
    }

    private static ScheduledExecutorService shared(String name) {
        var executor = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name(name).factory());
        // cancelled keepalives and QR rotations leave the queue at once instead of when they would have been due
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }
}
