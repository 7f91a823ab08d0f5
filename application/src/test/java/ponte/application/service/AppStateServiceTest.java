package ponte.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import ponte.application.port.out.ChatStateStore;
import ponte.domain.appstate.AppStateChange;
import ponte.domain.instance.Instance;
import ponte.domain.instance.InstanceName;
import ponte.domain.message.Jid;

/**
 * label.update events from app-state sync: one per change of what is kept (a label put on twice, or sent again
 * unchanged by a snapshot, is no event), and a snapshot of the labels' collection announces what it no longer holds.
 * The store here keeps what the JDBI one keeps (ChatStateStoreTest checks that one's answers).
 */
class AppStateServiceTest {
    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    private static final Jid CARLA = Jid.phone("5511987650003");
    private static final Jid DAVI = Jid.phone("5511987650004");

    private final InMemoryPorts.Instances instances = new InMemoryPorts.Instances();
    private final LabelStore store = new LabelStore();
    private final List<Map<String, Object>> events = new ArrayList<>();
    private final AppStateService service = new AppStateService(instances, store,
            (instanceId, type, data, at) -> {
                events.add(data);
                return Optional.empty();
            }, new InMemoryPorts.DirectTransactions());
    private final Instance shop = Instance.create(UUID.randomUUID(), UUID.randomUUID(), new InstanceName("shop"),
            Map.of(), T0).instance();

    AppStateServiceTest() {
        instances.insert(shop);
    }

    @Test
    void aLabelPutOnAChatTwiceIsAnnouncedOnce() {
        service.apply(shop.id(), List.of(new AppStateChange.LabelEdited("7", "VIP", 5, false, T0)));
        service.apply(shop.id(), List.of(added("7", CARLA)));
        service.apply(shop.id(), List.of(added("7", CARLA)));
        service.apply(shop.id(), List.of(new AppStateChange.LabelEdited("7", "VIP", 5, false, T0)));
        service.apply(shop.id(), List.of(removed("7", CARLA), removed("7", CARLA)));

        assertThat(types()).containsExactly("edited", "added", "removed");
    }

    @Test
    void aSnapshotAnnouncesTheLabelsAndAssociationsItNoLongerHoldsAndNothingForWhatItHoldsAgain() {
        service.apply(shop.id(), List.of(new AppStateChange.LabelEdited("1", "Lead", 2, false, T0),
                new AppStateChange.LabelEdited("7", "VIP", 5, false, T0), added("1", CARLA), added("7", DAVI)));
        events.clear();

        // the whole collection again: label 1 on Carla still there, label 7 and its association gone
        service.apply(shop.id(), List.of(new AppStateChange.Reset(Set.of(AppStateChange.Kind.LABELS), T0),
                new AppStateChange.LabelEdited("1", "Lead", 2, false, T0), added("1", CARLA)));

        assertThat(events).extracting(e -> e.get("type") + " " + ((Map<?, ?>) e.get("label")).get("id")
                + (e.containsKey("chat") ? " " + e.get("chat") : ""))
                .containsExactly("removed 7 " + DAVI, "deleted 7");
        assertThat(store.associations(shop.id())).extracting(ChatStateStore.Association::labelId)
                .containsExactly("1");
        assertThat(store.labels(shop.id())).extracting(ChatStateStore.Label::id).containsExactly("1");
    }

    @Test
    void anEmptySnapshotTakesEveryLabelAway() {
        service.apply(shop.id(), List.of(new AppStateChange.LabelEdited("1", "Lead", 2, false, T0),
                added("1", CARLA)));
        events.clear();
        service.apply(shop.id(), List.of(new AppStateChange.Reset(Set.of(AppStateChange.Kind.LABELS), T0)));
        assertThat(types()).containsExactly("removed", "deleted");
        assertThat(((Map<?, ?>) events.getLast().get("label")).get("name")).as("named as last known")
                .isEqualTo("Lead");
    }

    private List<Object> types() {
        return events.stream().map(e -> e.get("type")).toList();
    }

    private static AppStateChange.LabelAssociated added(String label, Jid chat) {
        return new AppStateChange.LabelAssociated(label, chat, Optional.empty(), true, T0);
    }

    private static AppStateChange.LabelAssociated removed(String label, Jid chat) {
        return new AppStateChange.LabelAssociated(label, chat, Optional.empty(), false, T0);
    }

    /** Labels and associations as the JDBI store keeps them, answering whether each change changed anything. */
    private static final class LabelStore implements ChatStateStore {
        private final Map<String, Label> labels = new LinkedHashMap<>();
        private final Set<Association> associations = new LinkedHashSet<>();

        @Override
        public boolean apply(UUID instanceId, AppStateChange change) {
            return switch (change) {
                case AppStateChange.LabelEdited edited -> {
                    var before = labels.get(edited.labelId());
                    var name = edited.deleted() && edited.name().isEmpty() && before != null ? before.name()
                            : edited.name();
                    var after = new Label(edited.labelId(), name, edited.color(), edited.deleted());
                    labels.put(edited.labelId(), after);
                    yield !after.equals(before);
                }
                case AppStateChange.LabelAssociated associated -> {
                    var association = new Association(associated.labelId(), associated.chat(), associated.message());
                    yield associated.labeled() ? associations.add(association) : associations.remove(association);
                }
                default -> true;
            };
        }

        @Override
        public Optional<Label> label(UUID instanceId, String labelId) {
            return Optional.ofNullable(labels.get(labelId));
        }

        @Override
        public List<Label> labels(UUID instanceId) {
            return labels.values().stream().filter(label -> !label.deleted()).toList();
        }

        @Override
        public List<Association> associations(UUID instanceId) {
            return List.copyOf(associations);
        }
    }
}
