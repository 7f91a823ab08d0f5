package ponte.bootstrap;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ponte.application.port.in.SendQueueUseCase;

/**
 * The thread that works the outgoing queue: start the due sends, sleep until woken (a send queued here, an ack, an
 * instance changing state) or until the next send falls due, again. Everything it works from is in the queue table,
 * so stopping it (or the process dying) loses nothing.
 */
final class OutgoingSenderLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutgoingSenderLoop.class);
    private static final Duration AFTER_FAILURE = Duration.ofSeconds(1);

    private final SendQueueUseCase queue;
    private final Thread thread;
    private volatile boolean running = true;

    OutgoingSenderLoop(SendQueueUseCase queue) {
        this.queue = queue;
        this.thread = Thread.ofPlatform().daemon().name("ponte-sender").unstarted(this::run);
    }

    OutgoingSenderLoop start() {
        thread.start();
        return this;
    }

    private void run() {
        while (running) {
            try {
                var idle = queue.sendDue();
                queue.awaitWork(idle.isNegative() ? Duration.ZERO : idle);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("working the outgoing queue failed; trying again shortly", e);
                try {
                    Thread.sleep(AFTER_FAILURE);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
