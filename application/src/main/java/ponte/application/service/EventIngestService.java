package ponte.application.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import ponte.application.error.NotFoundException;
import ponte.application.port.in.InboundEventUseCase;
import ponte.application.port.in.IngestEventUseCase;
import ponte.application.port.in.ReadEventUseCase;
import ponte.application.port.out.EventOutbox;
import ponte.application.port.out.IdGenerator;
import ponte.application.port.out.InstanceStore;
import ponte.application.port.out.LiveEvents;
import ponte.application.port.out.SessionDirectory;
import ponte.application.port.out.Transactions;
import ponte.application.port.out.WebhookStore;
import ponte.domain.event.EventEnvelope;
import ponte.domain.event.EventType;
import ponte.domain.event.InstanceStateData;
import ponte.domain.instance.Instance;
import ponte.domain.instance.InstanceEvent;
import ponte.domain.webhook.RetrySchedule;

/**
 * The outbox: an event and one delivery per enabled webhook that wants it, in one transaction; the dispatcher and
 * the live hub hear of it only after the commit.
 */
final class EventIngestService implements IngestEventUseCase, InboundEventUseCase, ReadEventUseCase {
    private final InstanceStore instances;
    private final SessionDirectory directory;
    private final WebhookStore webhooks;
    private final EventOutbox outbox;
    private final LiveEvents live;
    private final Transactions transactions;
    private final IdGenerator ids;
    private final RetrySchedule schedule;
    private final Clock clock;
    private final ponte.application.port.out.ChatwootSyncStore chatwoot;

    EventIngestService(InstanceStore instances, SessionDirectory directory, WebhookStore webhooks, EventOutbox outbox,
                       LiveEvents live, Transactions transactions, IdGenerator ids, RetrySchedule schedule,
                       Clock clock) {
        this(instances, directory, webhooks, outbox, live, transactions, ids, schedule, clock, null);
    }

    /** {@code chatwoot}: where message events are queued for the instance's Chatwoot (null: nowhere). */
    EventIngestService(InstanceStore instances, SessionDirectory directory, WebhookStore webhooks, EventOutbox outbox,
                       LiveEvents live, Transactions transactions, IdGenerator ids, RetrySchedule schedule,
                       Clock clock, ponte.application.port.out.ChatwootSyncStore chatwoot) {
        this.chatwoot = chatwoot;
        this.instances = instances;
        this.directory = directory;
        this.webhooks = webhooks;
        this.outbox = outbox;
        this.live = live;
        this.transactions = transactions;
        this.ids = ids;
        this.schedule = schedule;
        this.clock = clock;
    }

    @Override
    public EventEnvelope ingest(IngestEventCommand command) {
        return transactions.inTransaction(() -> {
            var instance = instances.find(command.tenantId(), command.instanceId())
                    .orElseThrow(() -> new NotFoundException("instance " + command.instanceId() + " not found"));
            return append(instance, command.type(), command.data(), command.occurredAt());
        });
    }

    @Override
    public Optional<EventEnvelope> receive(UUID instanceId, EventType type, Map<String, Object> data,
                                           Instant occurredAt) {
        return transactions.inTransaction(() -> directory.findLive(instanceId)
                .map(instance -> append(instance, type, data, occurredAt)));
    }

    @Override
    public Optional<String> payload(UUID eventId) {
        return outbox.payload(eventId);
    }

    /** What the instance lifecycle emits, inside the transaction that changes the instance. */
    EventEnvelope append(Instance instance, InstanceEvent event) {
        return append(instance, EventType.INSTANCE_STATE, InstanceStateData.of(event), event.at());
    }

    /** Any event of the instance, inside the caller's transaction (the messaging services' way into the outbox). */
    EventEnvelope append(Instance instance, EventType type, Map<String, Object> data, Instant occurredAt) {
        return append(instance, type, data, occurredAt, true);
    }

    /**
     * As {@link #append(Instance, EventType, Map, Instant)}; {@code toWebhooks} false stores the event and tells live
     * clients without queueing a webhook delivery (the phone's history from before the link).
     */
    EventEnvelope append(Instance instance, EventType type, Map<String, Object> data, Instant occurredAt,
                         boolean toWebhooks) {
        return transactions.inTransaction(() -> {
            var now = clock.instant();
            var envelope = new EventEnvelope(ids.newId(), type, instance.tenantId(), instance.id(),
                    instance.name().value(), occurredAt == null ? now : occurredAt, data);
            var deliveries = new ArrayList<EventOutbox.NewDelivery>();
            for (var stored : toWebhooks ? webhooks.list(instance.id()) : java.util.List.<WebhookStore.StoredWebhook>of()) {
                var webhook = stored.subscription();
                if (webhook.wants(type)) {
                    deliveries.add(new EventOutbox.NewDelivery(ids.newId(), webhook.id(), webhook.label().value(),
                            webhook.targetFor(type), now.plus(schedule.first())));
                }
            }
            outbox.append(envelope, now, deliveries);
            var queued = !deliveries.isEmpty();
            if (toWebhooks && chatwoot != null) {
                queued |= toChatwoot(envelope, now);
            }
            var anyQueued = queued;
            transactions.afterCommit(() -> live.published(envelope, anyQueued));
            return envelope;
        });
    }

    /**
     * A message event (and a send that failed, to be noted in its conversation) for the instance's Chatwoot, in the
     * event's transaction: the mirror is as durable as a webhook.
     */
    private boolean toChatwoot(EventEnvelope envelope, Instant now) {
        var data = envelope.data();
        if (envelope.event() == EventType.MESSAGE_EXCHANGE && data.get("message") instanceof Map<?, ?> message
                && message.get("id") instanceof String id && message.get("chat_jid") instanceof String chat
                && data.get("type") instanceof String kind && !"poll_vote".equals(kind)) {
            return chatwoot.enqueue(envelope.tenantId(), envelope.instanceId(), envelope.eventId(), chat, id, kind,
                    null, now);
        }
        if (envelope.event() == EventType.MESSAGE_STATUS && "failed".equals(data.get("status"))
                && data.get("message_id") instanceof String id && data.get("chat_jid") instanceof String chat) {
            return chatwoot.enqueue(envelope.tenantId(), envelope.instanceId(), envelope.eventId(), chat, id,
                    "failed", data.get("error") instanceof String error ? error : null, now);
        }
        return false;
    }
}
