package ponte.application.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import ponte.application.port.in.SendQueueUseCase;
import ponte.application.port.out.MessageStore;
import ponte.application.port.out.MessagingPort;
import ponte.application.port.out.OutgoingQueue;
import ponte.application.port.out.SessionDirectory;
import ponte.application.port.out.Transactions;
import ponte.application.port.out.WhatsAppSessionPort;
import ponte.domain.event.EventType;
import ponte.domain.message.Jid;
import ponte.domain.message.Message;
import ponte.domain.message.MessageExchanged;
import ponte.domain.message.MessageId;
import ponte.domain.message.OutgoingStatus;

/**
 * Works the outgoing queue for the instances whose session is online on this node: per chat the oldest message
 * first, one in flight per chat, paced by {@link SendPacer}. The outcome of each send is stored with its events in one
 * transaction: an ack moves the message to {@code sent} ({@code message.status} {@code sent} and
 * {@code message.exchange} {@code sent}); a refusal ends it {@code failed} with the reason; an offline engine (or
 * no ack within the timeout) leaves it queued, to be sent again with the same id once the instance is online. All
 * state is in the queue table, so a restart carries on where the last process stopped: a row left {@code sending}
 * is sent again, and WhatsApp sees the same message id.
 */
final class OutgoingSender implements SendQueueUseCase {
    private static final System.Logger LOG = System.getLogger(OutgoingSender.class.getName());
    /** A send that fails this often with an unexpected error (not offline, not refused) ends {@code failed}. */
    static final int MAX_ATTEMPTS = 10;
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
    private static final int RECEIPT_BATCH = 500;
    /** How many rounds of chat heads one pass fails for a logged-out instance; the next pass goes on. */
    private static final int LOGGED_OUT_PASSES = 100;
    /**
     * Finished queue rows are kept this long (for a look at what went out), then purged; message bodies past their
     * retention are dropped by the same purge.
     */
    static final Duration DONE_KEPT = Duration.ofDays(1);
    private static final Duration PURGE_EVERY = Duration.ofMinutes(10);

    private final MessageStore store;
    private final OutgoingQueue queue;
    private final MessagingPort messaging;
    private final WhatsAppSessionPort sessions;
    private final SessionDirectory directory;
    private final EventIngestService events;
    private final Transactions transactions;
    private final MessageSignals signals;
    private final MessagingSettings settings;
    private final Executor background;
    private final Clock clock;
    private final SendPacer pacer;
    private final Fencing fencing;
    private final MediaMessages media;
    private Instant lastPurge = Instant.MIN;
    /**
     * The messages in flight on this node ("instance/message id"). A chat's head stays its head until its outcome
     * is stored, so a head in flight holds its whole chat back: one in flight per chat, even when a number checked
     * at send time moves the message to another chat.
     */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    /**
     * The messages whose outcome is stored but which still count as in flight: a pass releases them before it reads
     * the queue, never while it works from a read taken before their outcome was stored (that stale head, no longer
     * marked in flight, was sent a second time).
     */
    private final Queue<String> settled = new ConcurrentLinkedQueue<>();

    OutgoingSender(MessageStore store, OutgoingQueue queue, MessagingPort messaging, WhatsAppSessionPort sessions,
                   SessionDirectory directory, EventIngestService events, Transactions transactions,
                   MessageSignals signals, MessagingSettings settings, Executor background, Clock clock,
                   Fencing fencing) {
        this(store, queue, messaging, sessions, directory, events, transactions, signals, settings, background, clock,
                fencing, null);
    }

    /** {@code media}: uploads staged media sends as they go out (null: none are queued). */
    OutgoingSender(MessageStore store, OutgoingQueue queue, MessagingPort messaging, WhatsAppSessionPort sessions,
                   SessionDirectory directory, EventIngestService events, Transactions transactions,
                   MessageSignals signals, MessagingSettings settings, Executor background, Clock clock,
                   Fencing fencing, MediaMessages media) {
        this.media = media;
        this.fencing = fencing;
        this.store = store;
        this.queue = queue;
        this.messaging = messaging;
        this.sessions = sessions;
        this.directory = directory;
        this.events = events;
        this.transactions = transactions;
        this.signals = signals;
        this.settings = settings;
        this.background = background;
        this.clock = clock;
        this.pacer = new SendPacer(settings.perChatPerSecond(), settings.perInstancePerSecond());
    }

    @Override
    public synchronized Duration sendDue() {
        var now = clock.instant();
        // outcomes stored before this point are in what the queries below read
        for (var key = settled.poll(); key != null; key = settled.poll()) {
            inFlight.remove(key);
        }
        pacer.forgetBefore(now);
        var next = now.plus(settings.pollInterval());
        if (!lastPurge.plus(PURGE_EVERY).isAfter(now)) {
            lastPurge = now;
            queue.purgeDone(now.minus(DONE_KEPT));
            store.dropBodiesStoredBefore(now.minus(settings.bodyRetention()));
            if (media != null) {
                // a message's file is part of its body: it goes with the text (sends still queued keep theirs)
                media.purgeStoredBefore(now.minus(settings.bodyRetention()));
            }
        }
        for (var instanceId : store.instancesWithPendingReceipts()) {
            if (sessions.isOnline(instanceId)) {
                sendReadReceipts(instanceId);
            }
        }
        for (var instanceId : queue.instancesWithWork()) {
            if (!sessions.isOnline(instanceId)) {
                failIfLoggedOut(instanceId);
                continue;
            }
            for (var head : queue.heads(instanceId)) {
                var key = instanceId + "/" + head.id().value();
                if (inFlight.contains(key)) {
                    continue;
                }
                var earliest = pacer.earliest(instanceId, head.chat());
                if (head.notBefore().isAfter(earliest)) {
                    earliest = head.notBefore();
                }
                if (earliest.isAfter(now)) {
                    next = earliest.isBefore(next) ? earliest : next;
                    continue;
                }
                pacer.started(instanceId, head.chat(), now);
                inFlight.add(key);
                background.execute(() -> start(instanceId, head, key, now));
            }
        }
        return Duration.between(now, next);
    }

    @Override
    public void awaitWork(Duration atMost) throws InterruptedException {
        signals.awaitWork(atMost);
    }

    @Override
    public void wake() {
        signals.wakeSender();
    }

    /**
     * Hands one message to the engine; the chat stays in flight until its outcome is stored. {@code claimed}: when
     * the loop took it (for the outcome's log line).
     */
    private void start(UUID instanceId, OutgoingQueue.Head head, String key, Instant claimed) {
        try {
            var accountChanged = accountChangedSince(instanceId, head.id());
            if (accountChanged.isPresent()) {
                fail(instanceId, head.id(), accountChanged.get());
                finished(key);
                return;
            }
            var chat = head.chat();
            var send = head.send();
            if (!send.verify().isEmpty()) {
                var checked = verify(instanceId, head);
                if (checked.isEmpty()) {
                    finished(key);
                    return;
                }
                chat = checked.get();
                send = send.verified();
            }
            // the claim carries this node's lease: a node whose lease moved on sends nothing more
            var fence = fencing.fence(instanceId);
            if (fence.isEmpty()) {
                // this node holds no lease on it (being taken or handed over): its round sorts the session out
                finished(key);
                return;
            }
            if (!queue.markSending(instanceId, head.id(), clock.instant(), fence.get())) {
                fencing.refused(instanceId);
                finished(key);
                return;
            }
            var content = send.content();
            if (media != null) {
                // a staged file is uploaded now, with the live session (fresh media_conn); a link previewed now
                content = media.sendable(() -> directory.findLive(instanceId)
                        .map(ponte.domain.instance.Instance::tenantId)
                        .orElseThrow(() -> new MessagingPort.Offline("the instance is gone")), instanceId, head.id(),
                        content);
            }
            var wire = new MessagingPort.WireMessage(head.id(), chat, content, send.quoted(), send.mentions());
            messaging.send(instanceId, wire).orTimeout(settings.ackTimeout().toMillis(),
                            java.util.concurrent.TimeUnit.MILLISECONDS)
                    .whenCompleteAsync((at, error) -> outcome(instanceId, head, key, claimed, at, error), background);
        } catch (RuntimeException e) {
            outcome(instanceId, head, key, claimed, null, e);
        }
    }

    /**
     * A logged-out instance has no account to send from (its credentials are wiped; the next link may be another
     * number): what it had queued fails now, with a {@code message.status} event, rather than waiting for a link.
     */
    private void failIfLoggedOut(UUID instanceId) {
        if (directory.findLive(instanceId).map(instance -> instance.hasPaired()).orElse(true)) {
            return;
        }
        for (int pass = 0; pass < LOGGED_OUT_PASSES; pass++) {
            var heads = queue.heads(instanceId).stream()
                    .filter(head -> !inFlight.contains(instanceId + "/" + head.id().value())).toList();
            if (heads.isEmpty()) {
                return;
            }
            heads.forEach(head -> fail(instanceId, head.id(), "the instance was logged out of WhatsApp before "
                    + "this message went out"));
        }
    }

    /**
     * A message goes out only under the account that was linked when it was accepted: after a logout and a link to
     * another number, what the old account queued fails instead of leaving from someone else's number. The reason,
     * when it changed.
     */
    private Optional<String> accountChangedSince(UUID instanceId, MessageId id) {
        var acceptedAs = store.find(instanceId, id).flatMap(stored -> stored.message().sender().jid());
        var linkedAs = directory.findLive(instanceId).filter(instance -> instance.hasPaired())
                .map(instance -> Jid.phone(instance.account().phoneNumber()));
        if (acceptedAs.isEmpty() || linkedAs.isEmpty() || acceptedAs.get().user().equals(linkedAs.get().user())) {
            return Optional.empty();
        }
        return Optional.of("accepted for +" + acceptedAs.get().user() + ", but the instance is now linked to another "
                + "WhatsApp account");
    }

    /**
     * Checks a number queued while the instance was offline: the first candidate the server knows becomes the chat;
     * none known fails the message. Empty when it failed.
     */
    private Optional<Jid> verify(UUID instanceId, OutgoingQueue.Head head) {
        var candidates = head.send().verify();
        var found = MessageService.firstExisting(candidates, messaging.lookup(instanceId, candidates,
                settings.lookupWait()));
        if (found.isPresent()) {
            var chat = found.get().jid().orElse(found.get().asked());
            var send = head.send().verified();
            transactions.run(() -> {
                queue.retarget(instanceId, head.id(), chat, send);
                store.lockOwn(instanceId, head.id()).flatMap(MessageStore.Stored::outgoing)
                        .filter(status -> !status.chatJid().equals(chat))
                        .ifPresent(status -> store.updateOutgoing(instanceId, new OutgoingStatus(status.id(),
                                chat, status.status(), status.error(), status.members(), status.history())));
            });
            return Optional.of(chat);
        }
        fail(instanceId, head.id(), "+" + candidates.getFirst().user() + " is not on WhatsApp");
        return Optional.empty();
    }

    private void outcome(UUID instanceId, OutgoingQueue.Head head, String key, Instant claimed, Instant ackedAt,
                         Throwable error) {
        try {
            var cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            // where a send's time went: waiting for the pace or a free chat, then the engine up to the server's ack
            LOG.log(System.Logger.Level.DEBUG, () -> "message " + head.id() + ": " + (cause == null ? "acked"
                    : cause.getClass().getSimpleName()) + " " + Duration.between(claimed, clock.instant()).toMillis()
                    + " ms after the loop took it, " + Duration.between(head.notBefore(), claimed).toMillis()
                    + " ms after it was due");
            switch (cause) {
                case null -> acked(instanceId, head.id(), ackedAt, head.send().content());
                case MessagingPort.Refused refused -> fail(instanceId, head.id(), refused.getMessage());
                // not sent, or not known to be: it goes again with the same id once the instance is online
                case MessagingPort.Offline ignored -> queue.requeue(instanceId, head.id(), clock.instant());
                case TimeoutException ignored -> queue.requeue(instanceId, head.id(), clock.instant());
                default -> {
                    if (head.attempts() + 1 >= MAX_ATTEMPTS) {
                        fail(instanceId, head.id(), "could not be sent after " + MAX_ATTEMPTS + " attempts");
                    } else {
                        queue.requeue(instanceId, head.id(), clock.instant().plus(backoff(head.attempts() + 1)));
                    }
                }
            }
        } catch (RuntimeException e) {
            // the row stays as it was: queued, or sending (sent again with the same id by the next pass)
            LOG.log(System.Logger.Level.WARNING,
                    "recording the outcome of message " + head.id() + " failed; it is tried again", e);
        } finally {
            finished(key);
        }
    }

    private void finished(String key) {
        settled.add(key);
        signals.outcomeRecorded();
        signals.wakeSender();
    }

    /**
     * The server acked: {@code sent}, announced as {@code message.status} and {@code message.exchange}; for an edit
     * or revoke the exchange announced is the original's ({@code edited} or {@code revoked}, as stored when it was
     * queued), not the protocol message's own.
     */
    private void acked(UUID instanceId, MessageId id, Instant at, MessagingPort.WireContent content) {
        transactions.run(() -> {
            var now = clock.instant();
            var stored = store.lockOwn(instanceId, id);
            var instance = directory.findLive(instanceId);
            if (stored.isPresent() && stored.get().outgoing().isPresent()) {
                var before = stored.get().outgoing().get();
                var ackedAt = at == null ? now : at;
                var change = before.acked(ackedAt);
                if (change.moved()) {
                    store.updateOutgoing(instanceId, change.state());
                }
                // a receipt can be stored before the ack (both race in from the engine): the machine then skips
                // sent, but the message still went out once and is announced as exchanged once
                if (change.moved() || before.status().isReceipt()) {
                    instance.ifPresent(i -> {
                        change.events().forEach(event -> events.append(i, EventType.MESSAGE_STATUS, event.data(),
                                event.at()));
                        var sent = withStatus(stored.get().message(), change.state());
                        exchangeOf(instanceId, sent, content).ifPresent(exchange -> events.append(i,
                                EventType.MESSAGE_EXCHANGE, exchange.data(), ackedAt));
                    });
                }
            }
            queue.done(instanceId, id, now);
        });
    }

    /** The message will never go out: {@code failed} with the reason, announced as {@code message.status}. */
    private void fail(UUID instanceId, MessageId id, String reason) {
        transactions.run(() -> {
            var now = clock.instant();
            store.lockOwn(instanceId, id).flatMap(MessageStore.Stored::outgoing).ifPresent(status -> {
                var change = status.failed(reason, now);
                if (change.moved()) {
                    store.updateOutgoing(instanceId, change.state());
                    directory.findLive(instanceId).ifPresent(i -> change.events().forEach(event ->
                            events.append(i, EventType.MESSAGE_STATUS, event.data(), event.at())));
                }
            });
            queue.done(instanceId, id, now);
        });
    }

    /** Read receipts kept for this instance, grouped per chat and (in groups) per sender. */
    private void sendReadReceipts(UUID instanceId) {
        try {
            var pending = store.pendingReadReceipts(instanceId, RECEIPT_BATCH);
            var batches = new LinkedHashMap<ReceiptBatch, List<MessageId>>();
            for (var message : pending) {
                batches.computeIfAbsent(new ReceiptBatch(message.chatJid(), message.participant()),
                        b -> new ArrayList<>()).add(message.id());
            }
            for (var batch : batches.entrySet()) {
                messaging.markRead(instanceId, batch.getKey().chat(), batch.getKey().participant(), batch.getValue());
                store.readReceiptsSent(instanceId, batch.getValue());
            }
        } catch (MessagingPort.Offline offline) {
            // kept: they go out when the instance is online again
        }
    }

    private record ReceiptBatch(Jid chat, Optional<Jid> participant) {}

    static Message withStatus(Message message, OutgoingStatus status) {
        return new Message(message.id(), status.chatJid(), message.fromMe(), message.sender(), message.timestamp(),
                status.status(), message.body(), message.quoted(), message.mentions(), message.participant(),
                message.fromHistory(), message.editedAt(), message.revoked());
    }

    /** What an acked send announces: the message itself, or for an edit or revoke the original as it now stands. */
    private Optional<MessageExchanged> exchangeOf(UUID instanceId, Message sent, MessagingPort.WireContent content) {
        return switch (content) {
            case MessagingPort.WireContent.Edit edit -> store.find(instanceId, edit.target())
                    .map(MessageStore.Stored::message).filter(m -> m.editedAt().isPresent())
                    .map(m -> new MessageExchanged(MessageExchanged.Kind.EDITED, m));
            case MessagingPort.WireContent.Revoke revoke -> store.find(instanceId, revoke.target().id())
                    .map(MessageStore.Stored::message).filter(Message::revoked)
                    .map(m -> new MessageExchanged(MessageExchanged.Kind.REVOKED, m));
            default -> Optional.of(MessageExchanged.of(sent));
        };
    }

    /** 2 s, 4 s, 8 s, … up to a minute between attempts that failed unexpectedly. */
    static Duration backoff(int attempt) {
        var delay = Duration.ofSeconds(1L << Math.min(attempt, 6));
        return delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
    }
}
