package ponte.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import ponte.application.model.DeliveryStatus;
import ponte.application.model.PageRequest;
import ponte.application.port.out.GatewayMetrics;
import ponte.application.port.in.ConfigureWebhooksUseCase.WebhookCommand;
import ponte.application.port.in.DispatchWebhooksUseCase.AttemptResult;
import ponte.application.port.in.IngestEventUseCase.IngestEventCommand;
import ponte.application.port.in.WebhookDeliveriesUseCase.DeliveryQuery;
import ponte.domain.auth.Principal;
import ponte.domain.auth.TokenKind;
import ponte.domain.event.EventEnvelope;
import ponte.domain.event.EventFilter;
import ponte.domain.event.EventType;
import ponte.domain.instance.Instance;
import ponte.domain.instance.InstanceName;
import ponte.domain.webhook.RetrySchedule;
import ponte.domain.egress.EgressPolicy;
import ponte.domain.webhook.WebhookLabel;

/**
 * The life of an event across the webhook, ingest, dispatch and delivery-log services, over an in-memory outbox:
 * who gets a delivery, how a failing receiver is retried and dead-lettered, and what the log and a redelivery do.
 */
class EventScenariosTest {
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    private static final RetrySchedule SCHEDULE = new RetrySchedule(
            List.of(Duration.ZERO, Duration.ofMinutes(1), Duration.ofMinutes(5)), Duration.ZERO);

    private final MovableClock clock = new MovableClock(T0);
    private final AtomicLong sequence = new AtomicLong();
    private final InMemoryPorts.Instances instances = new InMemoryPorts.Instances();
    private final InMemoryOutbox outbox = new InMemoryOutbox();
    private final List<EventEnvelope> published = new ArrayList<>();
    private final InstanceAccess access = new InstanceAccess(instances);
    private final InMemoryPorts.DirectTransactions transactions = new InMemoryPorts.DirectTransactions();
    private final EventSettings settings = new EventSettings(SCHEDULE, EgressPolicy.STRICT, Duration.ofMinutes(1),
            Duration.ofDays(30));
    private final EventIngestService ingest = new EventIngestService(instances, instances, outbox, outbox,
            (event, queued) -> published.add(event), transactions, this::newId, SCHEDULE, clock);
    private final WebhookService webhooks = new WebhookService(outbox, outbox, access, transactions, this::newId,
            (prefix, bytes) -> prefix + "generated-secret", new InMemoryPorts.ReversingCipher(),
            settings.targets(), clock);
    private final DispatchService dispatch = new DispatchService(outbox, outbox, new InMemoryPorts.ReversingCipher(),
            this::newId, () -> 0.5, settings, clock, GatewayMetrics.NONE, new NoAudit());
    private final DeliveryLogService log = new DeliveryLogService(outbox, access, clock);

    private final UUID tenantId = UUID.randomUUID();
    private final Principal account = new Principal(TokenKind.ACCOUNT, UUID.randomUUID(), tenantId, null);
    private final Instance shop = Instance.create(UUID.randomUUID(), tenantId, new InstanceName("shop"), Map.of(), T0)
            .instance();

    EventScenariosTest() {
        instances.insert(shop);
    }

    @Test
    void anEventGoesToEveryEnabledWebhookThatWantsItAndIsAnnouncedOnce() {
        webhook("all", null, null);
        webhook("groups-only", List.of("group.flow"), null);
        webhook("paused", null, false);

        var event = message("hello");

        assertThat(outbox.rows()).extracting(row -> row.label).containsExactly("all");
        assertThat(published).containsExactly(event);
        var due = dispatch.claimDue(10);
        assertThat(due).singleElement().satisfies(d -> {
            assertThat(d.secret()).isEqualTo("whsec_generated-secret");
            assertThat(d.url()).isEqualTo("https://crm.example/all");
            assertThat(d.attempt()).isOne();
        });
        assertThat(dispatch.claimDue(10)).as("claimed once until its lease runs out").isEmpty();
    }

    @Test
    void aFailingReceiverIsRetriedByTheScheduleThenDeadLettered() {
        webhook("flaky", null, null);
        message("retry me");

        for (int attempt = 1; attempt <= 3; attempt++) {
            var due = dispatch.claimDue(10);
            assertThat(due).as("attempt " + attempt).hasSize(1);
            dispatch.recordAttempt(due.getFirst(), new AttemptResult(503, null, 12));
            assertThat(dispatch.claimDue(10)).as("not due again at once").isEmpty();
            clock.advance(Duration.ofMinutes(10));
        }

        var delivery = log.list(account, new DeliveryQuery("shop", null, null), PageRequest.first()).items()
                .getFirst();
        assertThat(delivery.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(delivery.attempts()).isEqualTo(3);
        assertThat(delivery.lastError()).isEqualTo("the receiver answered 503");
        assertThat(log.get(account, delivery.id()).attempts()).extracting(a -> a.statusCode())
                .containsExactly(503, 503, 503);
    }

    @Test
    void aRedeliveryStartsAFreshRoundAndASuccessEndsIt() {
        webhook("crm", null, null);
        message("again");
        var first = dispatch.claimDue(10).getFirst();
        dispatch.recordAttempt(first, new AttemptResult(null, "connection refused", 3));

        log.redeliver(account, first.deliveryId());
        var again = dispatch.claimDue(10);

        assertThat(again).singleElement().satisfies(d -> assertThat(d.roundAttempts()).isZero());
        dispatch.recordAttempt(again.getFirst(), new AttemptResult(204, null, 5));
        assertThat(log.get(account, first.deliveryId()).delivery().status()).isEqualTo(DeliveryStatus.SUCCEEDED);
    }

    @Test
    void deletingAWebhookFailsWhatWaitedForItAndTheLogKeepsIt() {
        webhook("gone", null, null);
        message("never sent");

        webhooks.delete(account, "shop", "gone");

        assertThat(dispatch.claimDue(10)).isEmpty();
        var delivery = log.list(account, new DeliveryQuery("shop", DeliveryStatus.FAILED, null), PageRequest.first())
                .items();
        assertThat(delivery).singleElement().satisfies(d -> assertThat(d.lastError())
                .isEqualTo("the webhook was deleted"));
    }

    @Test
    void retentionForgetsFinishedDeliveriesAndKeepsPendingOnes() {
        webhook("crm", null, null);
        message("done");
        dispatch.recordAttempt(dispatch.claimDue(10).getFirst(), new AttemptResult(200, null, 1));
        clock.advance(Duration.ofMinutes(1));
        message("still waiting");

        clock.advance(Duration.ofDays(31));
        dispatch.purgeExpired();

        assertThat(outbox.rows()).extracting(row -> row.status).containsExactly(DeliveryStatus.PENDING);
    }

    private void webhook(String label, List<String> events, Boolean enabled) {
        webhooks.create(account, "shop", new WebhookCommand(new WebhookLabel(label), "https://crm.example/" + label,
                enabled, events == null ? null : EventFilter.parse("events", events), null, null, null, null, null));
    }

    private EventEnvelope message(String text) {
        return ingest.ingest(new IngestEventCommand(tenantId, shop.id(), EventType.MESSAGE_EXCHANGE,
                Map.of("type", "text", "text", text), clock.instant()));
    }

    private UUID newId() {
        return new UUID(sequence.incrementAndGet(), 0);
    }

    /** A clock the scenario moves forward. */
    static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** The audit log is not what these scenarios look at. */
    private static final class NoAudit implements ponte.application.port.out.AuditLog {
        @Override
        public void append(ponte.application.model.AuditEntry entry) {
        }

        @Override
        public ponte.application.model.Page<ponte.application.model.AuditEntry> list(UUID tenantId,
                ponte.application.model.PageRequest page) {
            return new ponte.application.model.Page<>(java.util.List.of(), null);
        }

        @Override
        public int purgeBefore(java.time.Instant before) {
            return 0;
        }
    }
}
