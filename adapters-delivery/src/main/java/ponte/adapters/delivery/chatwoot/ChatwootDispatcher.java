package ponte.adapters.delivery.chatwoot;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ponte.application.port.in.ChatwootSyncUseCase;

/**
 * Drives the Chatwoot mirror's outbox as the webhook dispatcher drives webhooks: makes the due deliveries (the head
 * of each chat's queue) in rounds, and sleeps until woken (a message event was stored) or the poll interval passes,
 * which also picks up retries that fell due.
 */
public final class ChatwootDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChatwootDispatcher.class);
    private static final int BATCH = 16;

    private final ChatwootSyncUseCase sync;
    private final Duration pollInterval;
    private final LinkedBlockingQueue<Boolean> wakeups = new LinkedBlockingQueue<>(1);
    private final Thread worker;
    private volatile boolean running = true;

    public ChatwootDispatcher(ChatwootSyncUseCase sync, Duration pollInterval) {
        this.sync = sync;
        this.pollInterval = pollInterval;
        this.worker = Thread.ofPlatform().daemon().name("ponte-chatwoot").unstarted(this::run);
    }

    public ChatwootDispatcher start() {
        worker.start();
        return this;
    }

    /** A message event may have been queued: look now instead of at the next poll. */
    public void wake() {
        wakeups.offer(Boolean.TRUE);
    }

    private void run() {
        while (running) {
            try {
                if (sync.deliverDue(BATCH) == 0) {
                    wakeups.poll(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("the Chatwoot mirror's round failed; trying again shortly", e);
                try {
                    Thread.sleep(pollInterval.toMillis());
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
        worker.interrupt();
        try {
            worker.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
