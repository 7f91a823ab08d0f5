package ponte.adapters.persistence.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ponte.adapters.persistence.PersistenceAdapter;
import ponte.application.model.DeliveryAttempt;
import ponte.application.model.DeliveryStatus;
import ponte.application.model.PageRequest;
import ponte.application.port.out.DeliveryLog;
import ponte.application.port.out.DeliveryQueue.Outcome;
import ponte.application.port.out.EventOutbox.NewDelivery;
import ponte.application.port.out.WebhookStore.StoredWebhook;
import ponte.domain.event.EventEnvelope;
import ponte.domain.event.EventFilter;
import ponte.domain.event.EventType;
import ponte.domain.instance.Instance;
import ponte.domain.instance.InstanceName;
import ponte.domain.tenant.Tenant;
import ponte.domain.webhook.WebhookLabel;
import ponte.domain.webhook.WebhookSubscription;
import ponte.testing.PostgresFixture;

/** The outbox as a work queue: leases, lost claims and retention, on a real PostgreSQL. */
class EventStoreTest {
    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    private static final AtomicLong SEQUENCE = new AtomicLong(1);
    private static PersistenceAdapter db;
    private static PersistenceAdapter.EventStores events;

    /** A database per test: the queue is shared by everything in one, which is the point of it. */
    @BeforeEach
    void migrate() {
        db = PersistenceAdapter.migrateAndOpen(PostgresFixture.newDatabase().dataSource());
        events = db.events(UUID.randomUUID());
    }

    @Test
    void concurrentClaimsNeverShareADeliveryAndALapsedLeaseIsClaimableAgain() throws Exception {
        var webhook = webhook();
        for (int i = 0; i < 40; i++) {
            append(webhook, NOW);
        }
        var claimed = new ArrayList<List<UUID>>();
        var threads = new ArrayList<Thread>();
        for (int worker = 0; worker < 4; worker++) {
            var mine = new ArrayList<UUID>();
            claimed.add(mine);
            threads.add(Thread.ofVirtual().start(() -> events.queue().claim(15, NOW, NOW.plusSeconds(20),
                    UUID.randomUUID()).forEach(d -> mine.add(d.id()))));
        }
        for (var thread : threads) {
            thread.join();
        }
        var all = new HashSet<UUID>();
        claimed.forEach(list -> list.forEach(id -> assertThat(all.add(id)).as("claimed twice").isTrue()));
        assertThat(all).hasSize(40);
        assertThat(events.queue().claim(50, NOW.plusSeconds(10), NOW.plusSeconds(30), UUID.randomUUID())).isEmpty();
        assertThat(events.queue().claim(50, NOW.plusSeconds(21), NOW.plusSeconds(40), UUID.randomUUID())).hasSize(40);
    }

    @Test
    void anAttemptRecordedUnderALostClaimIsIgnored() {
        var webhook = webhook();
        append(webhook, NOW.minusSeconds(3600));
        var first = events.queue().claim(1, NOW, NOW.plusSeconds(20), UUID.randomUUID()).getFirst();
        var second = events.queue().claim(1, NOW.plusSeconds(30), NOW.plusSeconds(50), UUID.randomUUID()).getFirst();
        assertThat(second.id()).isEqualTo(first.id());
        var attempt = new DeliveryAttempt(NOW.plusSeconds(31), 200, null, 5);
        assertThat(events.queue().recordAttempt(first.id(), first.claimToken(), attempt, DeliveryStatus.SUCCEEDED,
                null)).isFalse();
        assertThat(events.queue().recordAttempt(second.id(), second.claimToken(), attempt, DeliveryStatus.SUCCEEDED,
                null)).isTrue();
        var detail = events.log().find(webhook.subscription().tenantId(), first.id()).orElseThrow();
        assertThat(detail.attempts()).hasSize(1);
        assertThat(detail.delivery().status()).isEqualTo(DeliveryStatus.SUCCEEDED);
    }

    @Test
    void aBatchOfOutcomesIsRecordedTogetherAndSkipsOnlyTheOneWhoseClaimWasLost() {
        var webhook = webhook();
        append(webhook, NOW);
        append(webhook, NOW);
        var claimed = events.queue().claim(2, NOW, NOW.plusSeconds(20), UUID.randomUUID());
        var kept = claimed.get(0);
        var lost = claimed.get(1);
        events.log().redeliver(webhook.subscription().tenantId(), lost.id(), NOW);
        var at = NOW.plusSeconds(1);
        var recorded = events.queue().recordAll(List.of(
                new Outcome(kept.id(), kept.claimToken(), 1, new DeliveryAttempt(at, 500, "boom", 7),
                        DeliveryStatus.PENDING, at.plusSeconds(10)),
                new Outcome(lost.id(), lost.claimToken(), 1, new DeliveryAttempt(at, 200, null, 7),
                        DeliveryStatus.SUCCEEDED, null)));
        assertThat(recorded).containsExactly(true, false);
        var tenantId = webhook.subscription().tenantId();
        var keptDetail = events.log().find(tenantId, kept.id()).orElseThrow();
        assertThat(keptDetail.delivery().attempts()).isEqualTo(1);
        assertThat(keptDetail.delivery().lastError()).isEqualTo("boom");
        assertThat(keptDetail.attempts()).extracting(DeliveryAttempt::statusCode).containsExactly(500);
        var lostDetail = events.log().find(tenantId, lost.id()).orElseThrow();
        assertThat(lostDetail.attempts()).isEmpty();
        assertThat(lostDetail.delivery().status()).isEqualTo(DeliveryStatus.PENDING);
    }

    @Test
    void retentionRemovesFinishedDeliveriesAndTheirEventsButKeepsPendingOnes() {
        var webhook = webhook();
        var tenantId = webhook.subscription().tenantId();
        var old = NOW.minusSeconds(40L * 86400);
        append(webhook, old);
        append(webhook, old);
        var done = events.queue().claim(1, old, old.plusSeconds(20), UUID.randomUUID()).getFirst();
        events.queue().recordAttempt(done.id(), done.claimToken(), new DeliveryAttempt(old, 204, null, 3),
                DeliveryStatus.SUCCEEDED, null);
        var filter = new DeliveryLog.Filter(webhook.subscription().instanceId(), null, null);
        assertThat(events.log().list(tenantId, filter, PageRequest.first()).items()).hasSize(2);
        assertThat(events.log().purgeBefore(NOW.minusSeconds(30L * 86400))).isEqualTo(2);
        var left = events.log().list(tenantId, filter, PageRequest.first()).items();
        assertThat(left).hasSize(1);
        assertThat(left.getFirst().status()).isEqualTo(DeliveryStatus.PENDING);
    }

    @Test
    void retentionForgetsADeletedInstancesWebhooksOnceNothingWaitsForThem() {
        var waiting = webhook();
        var idle = webhook();
        append(waiting, NOW);
        db.instances().softDelete(waiting.subscription().instanceId(), NOW);
        db.instances().softDelete(idle.subscription().instanceId(), NOW);
        events.log().purgeBefore(NOW.minusSeconds(30L * 86400));
        assertThat(db.webhooks().list(idle.subscription().instanceId())).isEmpty();
        assertThat(db.webhooks().list(waiting.subscription().instanceId())).hasSize(1);
    }

    private static void append(StoredWebhook webhook, Instant at) {
        var sub = webhook.subscription();
        var envelope = new EventEnvelope(id(), EventType.MESSAGE_EXCHANGE, sub.tenantId(), sub.instanceId(), "store",
                at, Map.of("type", "text"));
        db.transactions().run(() -> events.outbox().append(envelope, at, List.of(
                new NewDelivery(id(), sub.id(), sub.label().value(), sub.url().toString(), at))));
    }

    private static StoredWebhook webhook() {
        var tenant = new Tenant(id(), "t", 10, NOW);
        db.tenants().insert(tenant);
        var instance = Instance.create(id(), tenant.id(), new InstanceName("i" + SEQUENCE.get()), Map.of(), NOW)
                .instance();
        db.instances().insert(instance);
        var sub = new WebhookSubscription(id(), tenant.id(), instance.id(), new WebhookLabel("w"),
                URI.create("http://127.0.0.1:9/"), true, EventFilter.ALL, false, false, Map.of(), false, NOW, NOW);
        var stored = new StoredWebhook(sub, new byte[] {1, 2, 3}, null);
        db.webhooks().insert(stored);
        return stored;
    }

    private static UUID id() {
        return new UUID(SEQUENCE.incrementAndGet(), UUID.randomUUID().getLeastSignificantBits());
    }
}
