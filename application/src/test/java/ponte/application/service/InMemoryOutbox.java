package ponte.application.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import ponte.application.model.Delivery;
import ponte.application.model.DeliveryAttempt;
import ponte.application.model.DeliveryDetail;
import ponte.application.model.DeliveryStatus;
import ponte.application.model.Page;
import ponte.application.model.PageRequest;
import ponte.application.port.out.DeliveryLog;
import ponte.application.port.out.DeliveryQueue;
import ponte.application.port.out.EventOutbox;
import ponte.application.port.out.WebhookStore;
import ponte.domain.event.EventEnvelope;

/**
 * The events tables in memory, as one small database behind the four ports that share them: webhooks, the outbox,
 * the delivery queue and the delivery log. It keeps the rules the SQL keeps (a claim token proves a claim, deleting
 * a webhook leaves its deliveries without one), so services can be driven through whole scenarios without
 * PostgreSQL.
 */
final class InMemoryOutbox implements WebhookStore, EventOutbox, DeliveryQueue, DeliveryLog {
    final Map<UUID, Map<String, StoredWebhook>> webhooks = new LinkedHashMap<>();
    final Map<UUID, EventEnvelope> events = new LinkedHashMap<>();
    final Map<UUID, Row> deliveries = new LinkedHashMap<>();

    /** One webhook_deliveries row with its attempts. */
    static final class Row {
        final UUID id;
        final EventEnvelope event;
        UUID webhookId;
        final String label;
        final String url;
        DeliveryStatus status = DeliveryStatus.PENDING;
        int attempts;
        int roundAttempts;
        Instant roundStartedAt;
        Instant nextAttemptAt;
        UUID claimToken;
        Instant claimedUntil;
        Integer lastStatusCode;
        String lastError;
        final Instant createdAt;
        Instant updatedAt;
        final List<DeliveryAttempt> attemptLog = new ArrayList<>();

        Row(UUID id, EventEnvelope event, NewDelivery delivery, Instant now) {
            this.id = id;
            this.event = event;
            this.webhookId = delivery.webhookId();
            this.label = delivery.label();
            this.url = delivery.url();
            this.nextAttemptAt = delivery.firstAttemptAt();
            this.createdAt = now;
            this.updatedAt = now;
        }

        Delivery view() {
            return new Delivery(id, event.tenantId(), event.instanceId(), event.eventId(), event.event().wireName(),
                    label, url, status, attempts, nextAttemptAt, lastStatusCode, lastError, createdAt);
        }
    }

    List<Row> rows() {
        return List.copyOf(deliveries.values());
    }

    // --- webhooks

    @Override
    public void lockInstance(UUID instanceId) {
    }

    @Override
    public void insert(StoredWebhook webhook) {
        var labels = webhooks.computeIfAbsent(webhook.subscription().instanceId(), id -> new LinkedHashMap<>());
        if (labels.putIfAbsent(webhook.subscription().label().value(), webhook) != null) {
            throw new ponte.application.error.ConflictException("label taken");
        }
    }

    @Override
    public void update(StoredWebhook webhook) {
        webhooks.get(webhook.subscription().instanceId()).put(webhook.subscription().label().value(), webhook);
    }

    @Override
    public boolean delete(UUID instanceId, String label) {
        var removed = webhooks.getOrDefault(instanceId, Map.of()).get(label);
        if (removed == null) {
            return false;
        }
        webhooks.get(instanceId).remove(label);
        // on delete set null, as the foreign key does
        deliveries.values().stream().filter(row -> removed.subscription().id().equals(row.webhookId))
                .forEach(row -> row.webhookId = null);
        return true;
    }

    @Override
    public Optional<StoredWebhook> find(UUID instanceId, String label) {
        return Optional.ofNullable(webhooks.getOrDefault(instanceId, Map.of()).get(label));
    }

    @Override
    public List<StoredWebhook> list(UUID instanceId) {
        return List.copyOf(webhooks.getOrDefault(instanceId, Map.of()).values());
    }

    private Optional<StoredWebhook> webhook(UUID id) {
        return webhooks.values().stream().flatMap(labels -> labels.values().stream())
                .filter(w -> w.subscription().id().equals(id)).findFirst();
    }

    // --- outbox

    @Override
    public void append(EventEnvelope event, Instant storedAt, List<NewDelivery> newDeliveries) {
        events.put(event.eventId(), event);
        newDeliveries.forEach(d -> deliveries.put(d.id(), new Row(d.id(), event, d, storedAt)));
    }

    @Override
    public Optional<String> payload(UUID eventId) {
        return Optional.ofNullable(events.get(eventId)).map(e -> e.wireForm().toString());
    }

    // --- queue

    @Override
    public List<ClaimedDelivery> claim(int max, Instant now, Instant leaseUntil, UUID claimToken) {
        return deliveries.values().stream()
                .filter(r -> r.status == DeliveryStatus.PENDING && !r.nextAttemptAt.isAfter(now))
                .filter(r -> r.claimedUntil == null || r.claimedUntil.isBefore(now))
                .sorted(Comparator.comparing(r -> r.nextAttemptAt)).limit(max)
                .map(r -> {
                    r.claimToken = claimToken;
                    r.claimedUntil = leaseUntil;
                    r.roundStartedAt = r.roundStartedAt == null ? now : r.roundStartedAt;
                    var webhook = r.webhookId == null ? null : webhook(r.webhookId).map(w -> new Webhook(
                            w.sealedSecret(), w.sealedAuthorization(), w.subscription().headers(),
                            w.subscription().mediaBase64())).orElse(null);
                    return new ClaimedDelivery(r.id, claimToken, r.event.eventId(), r.event.event(), r.url,
                            payload(r.event.eventId()).orElseThrow(), r.attempts, r.roundAttempts, r.roundStartedAt,
                            webhook);
                }).toList();
    }

    @Override
    public boolean recordAttempt(UUID deliveryId, UUID claimToken, DeliveryAttempt attempt, DeliveryStatus next,
                                 Instant nextAttemptAt) {
        var row = deliveries.get(deliveryId);
        if (row == null || !claimToken.equals(row.claimToken)) {
            return false;
        }
        row.attempts++;
        row.roundAttempts++;
        row.status = next;
        row.nextAttemptAt = nextAttemptAt;
        row.claimToken = null;
        row.claimedUntil = null;
        row.lastStatusCode = attempt.statusCode();
        row.lastError = attempt.error();
        row.updatedAt = attempt.at();
        row.attemptLog.add(attempt);
        return true;
    }

    @Override
    public List<Boolean> recordAll(List<Outcome> outcomes) {
        return outcomes.stream().map(o -> recordAttempt(o.deliveryId(), o.claimToken(), o.attempt(), o.next(),
                o.nextAttemptAt())).toList();
    }

    @Override
    public void postpone(UUID deliveryId, UUID claimToken, Instant until) {
        var row = deliveries.get(deliveryId);
        if (row != null && claimToken.equals(row.claimToken)) {
            row.nextAttemptAt = until;
            row.claimToken = null;
            row.claimedUntil = null;
        }
    }

    @Override
    public int failPending(UUID webhookId, String error, Instant now) {
        int failed = 0;
        for (var row : deliveries.values()) {
            if (webhookId.equals(row.webhookId) && row.status == DeliveryStatus.PENDING) {
                row.status = DeliveryStatus.FAILED;
                row.nextAttemptAt = null;
                row.claimToken = null;
                row.claimedUntil = null;
                row.lastError = error;
                row.updatedAt = now;
                failed++;
            }
        }
        return failed;
    }

    // --- log

    @Override
    public Page<Delivery> list(UUID tenantId, Filter filter, PageRequest page) {
        return new Page<>(deliveries.values().stream().filter(r -> r.event.tenantId().equals(tenantId))
                .filter(r -> filter.instanceId() == null || filter.instanceId().equals(r.event.instanceId()))
                .filter(r -> filter.status() == null || filter.status() == r.status)
                .filter(r -> filter.event() == null || filter.event().equals(r.event.event().wireName()))
                .map(Row::view).toList().reversed(), null);
    }

    @Override
    public Optional<DeliveryDetail> find(UUID tenantId, UUID deliveryId) {
        return Optional.ofNullable(deliveries.get(deliveryId)).filter(r -> r.event.tenantId().equals(tenantId))
                .map(r -> new DeliveryDetail(r.view(), r.attemptLog, payload(r.event.eventId()).orElseThrow()));
    }

    @Override
    public boolean redeliver(UUID tenantId, UUID deliveryId, Instant now) {
        var row = deliveries.get(deliveryId);
        if (row == null || !row.event.tenantId().equals(tenantId)) {
            return false;
        }
        row.status = DeliveryStatus.PENDING;
        row.nextAttemptAt = now;
        row.roundAttempts = 0;
        row.roundStartedAt = null;
        row.claimToken = null;
        row.claimedUntil = null;
        row.updatedAt = now;
        return true;
    }

    @Override
    public int purgeBefore(Instant before) {
        int removed = 0;
        for (var it = deliveries.values().iterator(); it.hasNext(); ) {
            var row = it.next();
            if (row.status != DeliveryStatus.PENDING && row.updatedAt.isBefore(before)) {
                it.remove();
                removed++;
            }
        }
        var referenced = deliveries.values().stream().map(r -> r.event.eventId()).toList();
        for (var it = events.values().iterator(); it.hasNext(); ) {
            var event = it.next();
            if (!referenced.contains(event.eventId()) && Objects.requireNonNull(event.occurredAt()).isBefore(before)) {
                it.remove();
                removed++;
            }
        }
        return removed;
    }
}
