package ponte.adapters.whatsapp.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import ponte.adapters.whatsapp.binary.Node;

/**
 * Pings the server every 20–30 s and declares the connection dead when no ping has succeeded within the
 * deadline (whatsmeow keepalive.go: 10 s per answer, reconnect after 3 minutes without one). It runs from the moment
 * the socket is open, also while QR codes are shown: the server drops a socket on which nothing crosses.
 */
final class Keepalive {

    /** Ping spacing, how long one ping may take, and how long without any answer means dead. */
    record Settings(Duration minInterval, Duration maxInterval, Duration deadAfter) {
        static final Settings DEFAULT = new Settings(Duration.ofSeconds(20), Duration.ofSeconds(30),
                Duration.ofMinutes(3));
    }

    private final Timers timers;
    private final Settings settings;
    private final Supplier<CompletableFuture<Node>> ping;
    private final Runnable onDead;
    private final Clock clock;
    private volatile Instant lastAnswer;
    private ScheduledFuture<?> next;
    private boolean running;

    Keepalive(Timers timers, Settings settings, Supplier<CompletableFuture<Node>> ping,
            Runnable onDead, Clock clock) {
        this.timers = timers;
        this.settings = settings;
        this.ping = ping;
        this.onDead = onDead;
        this.clock = clock;
    }

    /** Starts pinging; a keepalive already running starts over rather than running twice. */
    synchronized void start() {
        stop();
        running = true;
        lastAnswer = clock.instant();
        scheduleNext();
    }

    synchronized void stop() {
        running = false;
        if (next != null) {
            next.cancel(false);
        }
    }

    private synchronized void scheduleNext() {
        if (!running) {
            return;
        }
        long min = settings.minInterval().toMillis();
        long max = Math.max(min + 1, settings.maxInterval().toMillis());
        next = timers.after(Duration.ofMillis(ThreadLocalRandom.current().nextLong(min, max)), this::sendPing);
    }

    private void sendPing() {
        ping.get().whenComplete((answer, error) -> {
            if (error == null || error.getCause() instanceof IqErrorException || error instanceof IqErrorException) {
                lastAnswer = clock.instant();
            } else if (Duration.between(lastAnswer, clock.instant()).compareTo(settings.deadAfter()) >= 0) {
                boolean wasRunning;
                synchronized (this) {
                    wasRunning = running;
                    running = false;
                }
                if (wasRunning) {
                    onDead.run();
                }
                return;
            }
            scheduleNext();
        });
    }
}
