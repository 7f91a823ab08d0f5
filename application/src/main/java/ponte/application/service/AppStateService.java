package ponte.application.service;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import ponte.application.port.in.AppStateUseCase;
import ponte.application.port.in.InboundEventUseCase;
import ponte.application.port.out.ChatStateStore;
import ponte.application.port.out.SessionDirectory;
import ponte.application.port.out.Transactions;
import ponte.domain.appstate.AppStateChange;
import ponte.domain.event.EventType;

/**
 * Keeps what app-state sync learnt (contact names, chat flags, labels and their associations) and publishes label
 * changes as {@code label.update} events, all in one transaction. Event data: {@code {type: edited|deleted, label:{id,
 * name, color}}} for a label's edit, {@code {type: added|removed, label:{id, name, color}, chat, message_id?}} for a
 * label put on or taken off a chat or one of its messages (name and colour as last known, null when the label was
 * never seen).
 *
 * <p>One event per change of what is kept: a label edited to what it already was, or put on a chat it is already on
 * (WhatsApp sends every label again in a snapshot, and a phone may set one twice), is no event. A snapshot of the
 * labels' collection ({@link AppStateChange.Reset} of {@link AppStateChange.Kind#LABELS}) is the whole of it: each
 * label or association kept here that it does not hold again is gone, and announced {@code deleted} or
 * {@code removed}.
 */
final class AppStateService implements AppStateUseCase {

    private final SessionDirectory directory;
    private final ChatStateStore store;
    private final InboundEventUseCase events;
    private final Transactions transactions;

    AppStateService(SessionDirectory directory, ChatStateStore store, InboundEventUseCase events,
                    Transactions transactions) {
        this.directory = directory;
        this.store = store;
        this.events = events;
        this.transactions = transactions;
    }

    @Override
    public void apply(UUID instanceId, List<AppStateChange> changes) {
        transactions.run(() -> {
            if (directory.findLive(instanceId).isEmpty()) {
                return;
            }
            var snapshot = changes.stream().filter(AppStateChange.Reset.class::isInstance)
                    .map(AppStateChange.Reset.class::cast)
                    .filter(reset -> reset.kinds().contains(AppStateChange.Kind.LABELS)).findFirst();
            var labelsBefore = snapshot.map(reset -> store.labels(instanceId)).orElse(List.of());
            var associationsBefore = snapshot.map(reset -> store.associations(instanceId)).orElse(List.of());
            var labelsHeld = new HashSet<String>();
            var associationsHeld = new HashSet<ChatStateStore.Association>();
            for (AppStateChange change : changes) {
                switch (change) {
                    case AppStateChange.LabelEdited edited when !edited.deleted() -> labelsHeld.add(edited.labelId());
                    case AppStateChange.LabelAssociated associated when associated.labeled() -> associationsHeld.add(
                            new ChatStateStore.Association(associated.labelId(), associated.chat(),
                                    associated.message()));
                    default -> {
                    }
                }
                keep(instanceId, change);
            }
            snapshot.ifPresent(reset -> {
                associationsBefore.stream().filter(held -> !associationsHeld.contains(held))
                        .forEach(gone -> keep(instanceId, new AppStateChange.LabelAssociated(gone.labelId(),
                                gone.chat(), gone.message(), false, reset.at())));
                labelsBefore.stream().filter(held -> !labelsHeld.contains(held.id()))
                        .forEach(gone -> keep(instanceId, new AppStateChange.LabelEdited(gone.id(), gone.name(),
                                gone.color(), true, reset.at())));
            });
        });
    }

    /** Applies one change, and announces it when it changed a label or association kept here. */
    private void keep(UUID instanceId, AppStateChange change) {
        if (store.apply(instanceId, change)) {
            labelEvent(instanceId, change).ifPresent(data ->
                    events.receive(instanceId, EventType.LABEL_UPDATE, data, change.at()));
        }
    }

    private Optional<Map<String, Object>> labelEvent(UUID instanceId, AppStateChange change) {
        var data = new LinkedHashMap<String, Object>();
        switch (change) {
            case AppStateChange.LabelEdited edited -> {
                data.put("type", edited.deleted() ? "deleted" : "edited");
                data.put("label", label(edited.labelId(), Optional.of(new ChatStateStore.Label(edited.labelId(),
                        edited.name(), edited.color(), edited.deleted()))));
            }
            case AppStateChange.LabelAssociated associated -> {
                data.put("type", associated.labeled() ? "added" : "removed");
                data.put("label", label(associated.labelId(), store.label(instanceId, associated.labelId())));
                data.put("chat", associated.chat().toString());
                associated.message().ifPresent(id -> data.put("message_id", id.value()));
            }
            default -> {
                return Optional.empty();
            }
        }
        return Optional.of(data);
    }

    private static Map<String, Object> label(String id, Optional<ChatStateStore.Label> known) {
        var label = new LinkedHashMap<String, Object>();
        label.put("id", id);
        label.put("name", known.map(ChatStateStore.Label::name).orElse(null));
        label.put("color", known.map(ChatStateStore.Label::color).orElse(null));
        return label;
    }
}
