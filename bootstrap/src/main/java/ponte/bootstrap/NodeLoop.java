package ponte.bootstrap;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ponte.application.port.in.NodeSessionsUseCase;

/**
 * The two threads that keep this node's leases: one runs the rounds (renew, balance, take; woken early when
 * another node releases leases), the other checks the renewal deadline twice a second. They are apart because a
 * round can hang on a lost database connection, and the deadline must stop the sessions all the same.
 */
final class NodeLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeLoop.class);
    private static final Duration DEADLINE_CHECK = Duration.ofMillis(500);

    private final NodeSessionsUseCase sessions;
    private final Semaphore wake = new Semaphore(0);
    private final Thread rounds;
    private final Thread watchdog;
    private volatile boolean running = true;

    NodeLoop(NodeSessionsUseCase sessions) {
        this.sessions = sessions;
        this.rounds = Thread.ofPlatform().daemon().name("ponte-leases").unstarted(this::runRounds);
        this.watchdog = Thread.ofPlatform().daemon().name("ponte-lease-deadline").unstarted(this::runWatchdog);
    }

    NodeLoop start() {
        rounds.start();
        watchdog.start();
        return this;
    }

    /** Another node released leases: a round runs now rather than at its time. */
    void wake() {
        wake.release();
    }

    private void runRounds() {
        var next = Duration.ZERO;
        while (running) {
            try {
                if (wake.tryAcquire(next.toMillis(), TimeUnit.MILLISECONDS)) {
                    wake.drainPermits();
                }
                if (!running) {
                    return;
                }
                next = sessions.tick();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("a lease round failed; the next one runs shortly", e);
                next = Duration.ofSeconds(1);
            }
        }
    }

    private void runWatchdog() {
        while (running) {
            try {
                Thread.sleep(DEADLINE_CHECK);
                sessions.enforceDeadline();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("checking the lease deadline failed", e);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        rounds.interrupt();
        watchdog.interrupt();
        try {
            rounds.join(Duration.ofSeconds(5));
            watchdog.join(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
