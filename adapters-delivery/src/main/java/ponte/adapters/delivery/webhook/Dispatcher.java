package ponte.adapters.delivery.webhook;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ponte.application.port.in.DispatchWebhooksUseCase;
import ponte.application.port.in.DispatchWebhooksUseCase.AttemptResult;
import ponte.application.port.in.DispatchWebhooksUseCase.DueWebhook;

/**
 * Claims due deliveries and POSTs each on a virtual thread of its own, at most {@code concurrency} at a time. It
 * sleeps until woken (an event stored here, a NOTIFY from another node) or until the poll interval passes, which
 * also picks up retries that fell due.
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final int BATCH = 50;
    private static final int RECORD_BATCH = 200;
    private static final Duration HOST_BUSY_RETRY = Duration.ofSeconds(1);

    private final DispatchWebhooksUseCase dispatch;
    private final WebhookPoster poster;
    private final Endpoints endpoints;
    private final Duration pollInterval;
    private final int concurrency;
    private final Semaphore inFlight;
    private final LinkedBlockingQueue<Boolean> wakeups = new LinkedBlockingQueue<>(1);
    private final LinkedBlockingQueue<DispatchWebhooksUseCase.Attempted> outcomes = new LinkedBlockingQueue<>();
    private final Thread poller;
    private final Thread recorder;
    private volatile boolean running = true;
    private volatile boolean recording = true;

    public Dispatcher(DispatchWebhooksUseCase dispatch, WebhookPoster poster, Endpoints endpoints, int concurrency,
                      Duration pollInterval) {
        this.dispatch = dispatch;
        this.poster = poster;
        this.endpoints = endpoints;
        this.pollInterval = pollInterval;
        this.concurrency = concurrency;
        this.inFlight = new Semaphore(concurrency);
        this.poller = Thread.ofPlatform().daemon().name("ponte-dispatcher").unstarted(this::run);
        this.recorder = Thread.ofPlatform().daemon().name("ponte-webhook-recorder").unstarted(this::record);
    }

    public void start() {
        recorder.start();
        poller.start();
    }

    /** Something may have become due: claim now instead of at the next poll. */
    public void wake() {
        wakeups.offer(Boolean.TRUE);
    }

    private void run() {
        while (running) {
            try {
                int free = inFlight.availablePermits();
                if (free == 0) {
                    sleep();
                    continue;
                }
                var due = dispatch.claimDue(Math.min(free, BATCH));
                for (var delivery : due) {
                    inFlight.acquire();
                    Thread.ofVirtual().name("ponte-webhook").start(() -> {
                        try {
                            deliver(delivery);
                        } finally {
                            inFlight.release();
                            wake();
                        }
                    });
                }
                if (due.size() < Math.min(free, BATCH)) {
                    sleep();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("claiming webhook deliveries failed; trying again shortly", e);
                pause();
            }
        }
    }

    private void deliver(DueWebhook delivery) {
        try {
            var breaker = endpoints.breaker(delivery.url());
            if (!breaker.tryAcquirePermission()) {
                dispatch.postpone(delivery, endpoints.openFor());
                return;
            }
            var host = endpoints.host(delivery.url());
            if (!host.tryAcquirePermission()) {
                breaker.releasePermission();
                dispatch.postpone(delivery, HOST_BUSY_RETRY);
                return;
            }
            AttemptResult result;
            try {
                result = poster.post(delivery);
            } finally {
                host.onComplete();
            }
            if (result.succeeded()) {
                breaker.onSuccess(result.durationMs(), TimeUnit.MILLISECONDS);
            } else {
                breaker.onError(result.durationMs(), TimeUnit.MILLISECONDS, new ReceiverFailed(result));
            }
            // the delivery stays claimed until the recorder stores the outcome, so nobody claims it meanwhile
            outcomes.add(new DispatchWebhooksUseCase.Attempted(delivery, result));
        } catch (RuntimeException e) {
            // the lease expires and another claim retries it; nothing is lost
            LOG.warn("recording delivery {} failed", delivery.deliveryId(), e);
        }
    }

    /**
     * Stores outcomes in batches: whatever finished while the previous batch was being written goes in the next
     * one, so a busy dispatcher commits once per batch rather than once per POST, and an idle one at once.
     */
    private void record() {
        var batch = new java.util.ArrayList<DispatchWebhooksUseCase.Attempted>();
        while (recording || !outcomes.isEmpty()) {
            try {
                var first = outcomes.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                outcomes.drainTo(batch, RECORD_BATCH - 1);
                dispatch.recordAttempts(batch);
                wake();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // their leases expire and they are tried again: at least once, never lost
                LOG.warn("recording {} webhook attempts failed", batch.size(), e);
            } finally {
                batch.clear();
            }
        }
    }

    private void sleep() throws InterruptedException {
        wakeups.poll(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void pause() {
        try {
            Thread.sleep(pollInterval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops claiming, then lets the POSTs under way finish and record (what does not is retried after its lease). */
    @Override
    public void close() {
        running = false;
        poller.interrupt();
        try {
            poller.join(5000);
            if (inFlight.tryAcquire(concurrency, 5, TimeUnit.SECONDS)) {
                inFlight.release(concurrency);
            }
            recording = false;
            recorder.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the breaker counts as a failure: the receiver did not take the delivery. */
    private static final class ReceiverFailed extends RuntimeException {
        ReceiverFailed(AttemptResult result) {
            super(result.error() != null ? result.error() : "status " + result.statusCode(), null, false, false);
        }
    }
}
