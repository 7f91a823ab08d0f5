package ponte.application.service;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import ponte.application.port.in.InboundMessagesUseCase;
import ponte.application.port.out.InstanceSettingsStore;
import ponte.application.port.out.MessageStore;
import ponte.application.port.out.SessionDirectory;
import ponte.application.port.out.Transactions;
import ponte.domain.event.EventType;
import ponte.domain.message.Message;
import ponte.domain.message.MessageExchanged;
import ponte.domain.message.OutgoingStatus;
import ponte.domain.message.StatusChange;
import ponte.domain.settings.InstanceSettings;

/**
 * What the engine hands over: a message is stored once per id and announced once, in the transaction that stores
 * its event and deliveries (the engine acks the stanza only after it returns); a receipt moves each known message of
 * ours through {@link OutgoingStatus} and announces every step. With the setting {@code ignore_groups} group
 * messages are neither stored nor announced (the engine still acks them and sends their delivery receipts). With
 * {@code read_messages} every received message is marked read as it is stored, and its read receipt goes out through
 * the outgoing sender's pending-read-receipt path, as for a chat marked read. With {@code ignore_status} status
 * updates (messages to {@code status@broadcast}) are neither stored nor announced, the same way. The phone's
 * history (after linking) keeps its contacts always and its messages unless {@code skip_history_sync} (the default)
 * says not to.
 */
final class InboundMessageService implements InboundMessagesUseCase {
    private final SessionDirectory directory;
    private final InstanceSettingsStore settings;
    private final MessageStore store;
    private final EventIngestService events;
    private final Transactions transactions;
    private final Clock clock;
    private final MediaMessages media;

    InboundMessageService(SessionDirectory directory, InstanceSettingsStore settings, MessageStore store,
                          EventIngestService events, Transactions transactions, Clock clock) {
        this(directory, settings, store, events, transactions, clock, null);
    }

    /** {@code media}: downloads and stores received files (null: their messages pass without a file). */
    InboundMessageService(SessionDirectory directory, InstanceSettingsStore settings, MessageStore store,
                          EventIngestService events, Transactions transactions, Clock clock, MediaMessages media) {
        this.media = media;
        this.directory = directory;
        this.settings = settings;
        this.store = store;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
    }

    @Override
    public boolean exchanged(UUID instanceId, MessageExchanged exchanged) {
        return exchanged(instanceId, exchanged, Optional.empty());
    }

    @Override
    public boolean exchanged(UUID instanceId, MessageExchanged exchanged, Optional<ReceivedMedia> file) {
        var withFile = file.isPresent() && media != null ? withFile(instanceId, exchanged, file.get()) : exchanged;
        return stored(instanceId, withFile);
    }

    /**
     * The message with its file downloaded and stored (or {@code media.error}), before the message is stored and
     * announced: outside the transaction, as a download takes a while. A message already stored (a redelivery) is
     * not downloaded again.
     */
    private MessageExchanged withFile(UUID instanceId, MessageExchanged exchanged, ReceivedMedia file) {
        var instance = directory.findLive(instanceId);
        if (instance.isEmpty() || store.find(instanceId, exchanged.message().id()).isPresent()) {
            return exchanged;
        }
        return new MessageExchanged(exchanged.kind(), media.received(instance.get(), exchanged.message(), file));
    }

    private boolean stored(UUID instanceId, MessageExchanged exchanged) {
        return transactions.inTransaction(() -> {
            var instance = directory.findLive(instanceId);
            if (instance.isEmpty()) {
                return false; // the instance is gone: nothing to keep, the stanza may be acked
            }
            var message = exchanged.message();
            var inForce = settings.find(instance.get().tenantId(), instanceId).orElse(InstanceSettings.DEFAULTS);
            if (message.isGroup() && inForce.ignoreGroups() || message.isStatus() && inForce.ignoreStatus()) {
                return false;
            }
            if (exchanged.kind() == MessageExchanged.Kind.EDITED || exchanged.kind() == MessageExchanged.Kind.REVOKED) {
                return changed(instance.get(), exchanged);
            }
            // our own messages from the phone or another device get a status machine, so their receipts count too
            var outgoing = message.fromMe() ? Optional.of(new OutgoingStatus(message.id(), message.chatJid(),
                    message.status(), Optional.empty(), Map.of(), List.of(new StatusChange(message.status(),
                    message.timestamp(), Optional.empty(), Optional.empty())))) : Optional.<OutgoingStatus>empty();
            if (!store.insert(instance.get().tenantId(), instanceId, message, outgoing, clock.instant())) {
                return false;
            }
            events.append(instance.get(), EventType.MESSAGE_EXCHANGE, exchanged.data(), message.timestamp());
            if (inForce.readMessages() && !message.fromMe()) {
                // read at once: the receipt takes the path of a chat marked read (the sender's next round sends it)
                store.markChatRead(instanceId, message.chatJid(), clock.instant());
            }
            return true;
        });
    }

    /**
     * An edit or revoke of an earlier message ({@code exchanged.message()} names the original's id): the stored
     * original takes the new text (a media message its new caption) and {@code edited_at}, or the {@code revoked}
     * flag (dropping its body and stored file), and the event shows the message so changed. The change is not
     * stored as a message of its own. A change by someone other than the original's author is ignored, as is an
     * edit of a revoked message; one whose original was never stored is announced as it came. A change seen before
     * publishes nothing.
     */
    private boolean changed(ponte.domain.instance.Instance instance, MessageExchanged exchanged) {
        var change = exchanged.message();
        // locked: an API edit or revoke of the same message waits, and then sees this change (and the reverse)
        var original = store.lock(instance.id(), change.id()).map(MessageStore.Stored::message);
        if (original.isPresent() && (original.get().fromMe() != change.fromMe()
                || !original.get().participant().equals(change.participant()))) {
            return false; // only a message's author edits or revokes it for everyone
        }
        Message updated;
        if (exchanged.kind() == MessageExchanged.Kind.REVOKED) {
            if (original.map(Message::revoked).orElse(false)) {
                return false;
            }
            updated = original.map(Message::asRevoked).orElse(change);
            if (media != null && original.map(Message::body).filter(Message.Media.class::isInstance).isPresent()) {
                // a deleted message keeps no content: its stored file goes once the revoke is committed
                transactions.afterCommit(() -> media.forget(instance, change.id()));
            }
        } else {
            var at = change.editedAt().orElseThrow();
            if (original.flatMap(Message::editedAt).filter(at::equals).isPresent()
                    || original.map(Message::revoked).orElse(false)) {
                return false; // seen before, or an edit arriving after the deletion: nothing left to edit
            }
            updated = original.map(o -> o.edited(editedBody(o.body(), change.body()), at)).orElse(change);
        }
        original.ifPresent(o -> store.replace(instance.id(), updated));
        events.append(instance, EventType.MESSAGE_EXCHANGE, new MessageExchanged(exchanged.kind(), updated).data(),
                change.timestamp());
        return true;
    }

    /** An edit of a media message changes its caption; of anything else, its text. */
    private static Message.Body editedBody(Message.Body original, Message.Body edit) {
        if (original instanceof Message.Media media && edit instanceof Message.Text text) {
            return new Message.Media(media.kind(), media.media(), Optional.of(text.text()), media.viewOnce());
        }
        return edit;
    }

    @Override
    public int history(UUID instanceId, History history) {
        return transactions.inTransaction(() -> {
            var instance = directory.findLive(instanceId);
            if (instance.isEmpty()) {
                return 0;
            }
            var now = clock.instant();
            store.keepContacts(instance.get().tenantId(), instanceId, history.contacts(), now);
            var inForce = settings.find(instance.get().tenantId(), instanceId).orElse(InstanceSettings.DEFAULTS);
            if (inForce.skipHistorySync() || history.messages().isEmpty()) {
                return 0;
            }
            var wanted = history.messages().stream().map(MessageExchanged::message)
                    .filter(message -> !(message.isGroup() && inForce.ignoreGroups())).toList();
            var stored = store.insertHistory(instance.get().tenantId(), instanceId, wanted, now);
            for (var message : stored) {
                // not after the link: the store and live clients have it, webhooks do not (API.md). Both times are
                // whole seconds, so a message of the link's own second counts as history, as it came in it
                events.append(instance.get(), EventType.MESSAGE_EXCHANGE, MessageExchanged.of(message).data(),
                        message.timestamp(), message.timestamp().isAfter(history.linkedAt()));
            }
            return stored.size();
        });
    }

    @Override
    public void receipt(UUID instanceId, Receipt receipt) {
        transactions.run(() -> {
            var instance = directory.findLive(instanceId);
            if (instance.isEmpty()) {
                return;
            }
            for (var id : receipt.ids()) {
                store.lockOwn(instanceId, id).flatMap(MessageStore.Stored::outgoing).ifPresent(status -> {
                    var change = status.receipt(receipt.status(), receipt.participant().orElse(null), receipt.at());
                    if (change.moved()) {
                        store.updateOutgoing(instanceId, change.state());
                        change.events().forEach(event -> events.append(instance.get(), EventType.MESSAGE_STATUS,
                                event.data(), event.at()));
                    }
                });
            }
        });
    }
}
