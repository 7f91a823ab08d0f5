package ponte.adapters.delivery;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ponte.adapters.delivery.egress.Egress;
import ponte.adapters.delivery.webhook.Dispatcher;
import ponte.adapters.delivery.webhook.Endpoints;
import ponte.adapters.delivery.webhook.WebhookPoster;
import ponte.application.port.in.DispatchWebhooksUseCase;
import ponte.application.port.in.MediaUseCase;
import ponte.adapters.delivery.webhook.MediaEmbedder;

/** The webhook side of the delivery adapter's wiring: the dispatcher and the retention sweep. */
public final class WebhookDelivery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDelivery.class);

    private final Dispatcher dispatcher;
    private final DispatchWebhooksUseCase dispatch;
    private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("ponte-retention").factory());

    /** {@code egress}: the outbound client the POSTs go through (its policy decides where); its owner closes it. */
    public WebhookDelivery(Settings settings, DispatchWebhooksUseCase dispatch, MediaUseCase media, Egress egress,
                           Clock clock) {
        this.dispatch = dispatch;
        var poster = new WebhookPoster(egress, settings.timeout(), clock, new MediaEmbedder(media)::embed);
        var endpoints = new Endpoints(settings.circuitOpenFor(), settings.circuitMinimumCalls(), settings.perHost());
        this.dispatcher = new Dispatcher(dispatch, poster, endpoints, settings.concurrency(), settings.pollInterval());
    }

    public WebhookDelivery start() {
        dispatcher.start();
        housekeeping.scheduleWithFixedDelay(this::purgeExpired, 1, 60, TimeUnit.MINUTES);
        return this;
    }

    /** Deliveries may be due now (stored here, or heard of from another node). */
    public void wake() {
        dispatcher.wake();
    }

    private void purgeExpired() {
        try {
            int removed = dispatch.purgeExpired();
            if (removed > 0) {
                LOG.info("retention removed {} expired events and deliveries", removed);
            }
        } catch (RuntimeException e) {
            LOG.warn("the retention sweep failed; it runs again in an hour", e);
        }
    }

    @Override
    public void close() {
        housekeeping.shutdownNow();
        dispatcher.close();
    }

    /** From configuration: timeouts, concurrency and the circuit breaker's tuning. */
    public record Settings(Duration timeout, int concurrency, int perHost, Duration pollInterval,
                           Duration circuitOpenFor, int circuitMinimumCalls) {}
}
