package ponte.adapters.persistence.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ponte.adapters.persistence.PersistenceAdapter;
import ponte.application.model.ChatFlags;
import ponte.application.model.ChatLabel;
import ponte.application.model.Contact;
import ponte.application.model.PageRequest;
import ponte.application.port.out.ChatStateStore;
import ponte.application.port.out.MessageStore;
import ponte.domain.appstate.AppStateChange;
import ponte.domain.instance.Instance;
import ponte.domain.instance.InstanceName;
import ponte.domain.message.Jid;
import ponte.domain.message.Message;
import ponte.domain.message.MessageId;
import ponte.domain.message.MessageStatus;
import ponte.domain.message.Sender;
import ponte.domain.tenant.Tenant;
import ponte.testing.PostgresFixture;

/**
 * What app-state sync keeps (V11) and how the message store's reads join it: saved names in the contacts and the
 * chats (under a person's PN or LID), address-book entries who never wrote, chat flags, labels, and a snapshot's
 * reset.
 */
class ChatStateStoreTest {
    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
    private static final Jid ALICE = Jid.phone("5511987654321");
    private static final Jid ALICE_LID = Jid.lid("7700001");
    private static final Jid BOB = Jid.phone("4915112345678");

    private MessageStore messages;
    private ChatStateStore state;
    private ponte.application.port.out.InboundStanzas stanzas;
    private UUID tenantId;
    private UUID instanceId;

    @BeforeEach
    void migrate() {
        var db = PersistenceAdapter.migrateAndOpen(PostgresFixture.newDatabase().dataSource());
        messages = db.messages().store();
        state = db.chatState();
        stanzas = db.inboundStanzas();
        var tenant = new Tenant(UUID.randomUUID(), "t", 10, NOW);
        db.tenants().insert(tenant);
        var instance = Instance.create(UUID.randomUUID(), tenant.id(), new InstanceName("shop"), Map.of(), NOW)
                .instance();
        db.instances().insert(instance);
        tenantId = tenant.id();
        instanceId = instance.id();
        messages.insert(tenantId, instanceId, new Message(new MessageId("A1"), ALICE, false, Sender.of(ALICE,
                Optional.of(ALICE_LID), Optional.of("Alice")), NOW, MessageStatus.DELIVERED, new Message.Text("hi"),
                Optional.empty(), List.of(), Optional.empty(), false), Optional.empty(), NOW);
    }

    @Test
    void savedNamesNameContactsAndChatsAndAnAddressBookEntryIsAContact() {
        // the phone keyed Alice by her LID: found under either of her names
        state.apply(instanceId, new AppStateChange.ContactName(ALICE_LID, Optional.of("Alice Souza"), NOW));
        state.apply(instanceId, new AppStateChange.ContactName(BOB, Optional.of("Bob"), NOW));

        assertThat(messages.contact(instanceId, ALICE)).map(Contact::name).contains(Optional.of("Alice Souza"));
        var bob = messages.contact(instanceId, BOB).orElseThrow();
        assertThat(bob.pushName()).isEmpty();
        assertThat(bob.name()).contains("Bob");
        assertThat(messages.contacts(instanceId, new PageRequest(10, null)).items()).extracting(Contact::jid)
                .containsExactly(BOB, ALICE);

        state.apply(instanceId, new AppStateChange.ContactName(BOB, Optional.empty(), NOW));
        assertThat(messages.contact(instanceId, BOB)).isEmpty();
        state.apply(instanceId, new AppStateChange.ContactName(ALICE, Optional.of("Alice S."), NOW));
        assertThat(messages.chats(instanceId, new PageRequest(10, null)).items().getFirst().name())
                .contains("Alice S.");
    }

    @Test
    void chatFlagsJoinTheChatListAndASnapshotResetTurnsThemOff() {
        var until = Instant.parse("2030-01-01T00:00:00Z");
        state.apply(instanceId, new AppStateChange.ChatArchived(ALICE, true, NOW));
        state.apply(instanceId, new AppStateChange.ChatPinned(ALICE, true, NOW));
        state.apply(instanceId, new AppStateChange.ChatMuted(ALICE, true, Optional.of(until), NOW));
        assertThat(flags()).isEqualTo(new ChatFlags(true, true, true, Optional.of(until)));

        state.apply(instanceId, new AppStateChange.ChatMuted(ALICE, true, Optional.empty(), NOW));
        assertThat(flags()).isEqualTo(new ChatFlags(true, true, true, Optional.empty()));

        state.apply(instanceId, new AppStateChange.Reset(Set.of(AppStateChange.Kind.CHAT_ARCHIVED,
                AppStateChange.Kind.CHAT_PINNED), NOW));
        assertThat(flags()).isEqualTo(new ChatFlags(false, false, true, Optional.empty()));
    }

    @Test
    void labelsKeepTheirLastEditAndADeletionKeepsTheName() {
        state.apply(instanceId, new AppStateChange.LabelEdited("3", "Lead", 2, false, NOW));
        state.apply(instanceId, new AppStateChange.LabelEdited("3", "Hot lead", 4, false, NOW));
        assertThat(state.label(instanceId, "3")).contains(new ChatStateStore.Label("3", "Hot lead", 4, false));
        state.apply(instanceId, new AppStateChange.LabelEdited("3", "", 4, true, NOW));
        assertThat(state.label(instanceId, "3")).contains(new ChatStateStore.Label("3", "Hot lead", 4, true));
        assertThat(state.label(instanceId, "9")).isEmpty();
    }

    @Test
    void aLabelOrAssociationKeptAsItWasIsNoChange() {
        assertThat(state.apply(instanceId, new AppStateChange.LabelEdited("3", "Lead", 2, false, NOW))).isTrue();
        assertThat(state.apply(instanceId, new AppStateChange.LabelEdited("3", "Lead", 2, false, NOW)))
                .as("the same edit again").isFalse();
        assertThat(state.apply(instanceId, new AppStateChange.LabelEdited("3", "Lead", 3, false, NOW))).isTrue();
        assertThat(state.apply(instanceId, new AppStateChange.LabelEdited("3", "", 3, true, NOW))).isTrue();
        assertThat(state.apply(instanceId, new AppStateChange.LabelEdited("3", "", 3, true, NOW)))
                .as("deleted twice").isFalse();

        var on = new AppStateChange.LabelAssociated("5", ALICE, Optional.empty(), true, NOW);
        var onMessage = new AppStateChange.LabelAssociated("5", ALICE, Optional.of(new MessageId("A1")), true, NOW);
        assertThat(state.apply(instanceId, on)).isTrue();
        assertThat(state.apply(instanceId, on)).as("put on twice").isFalse();
        assertThat(state.apply(instanceId, onMessage)).as("on one message: another association").isTrue();
        assertThat(state.associations(instanceId)).containsExactly(
                new ChatStateStore.Association("5", ALICE, Optional.empty()),
                new ChatStateStore.Association("5", ALICE, Optional.of(new MessageId("A1"))));
        var off = new AppStateChange.LabelAssociated("5", ALICE, Optional.empty(), false, NOW);
        assertThat(state.apply(instanceId, off)).isTrue();
        assertThat(state.apply(instanceId, off)).as("taken off when not on").isFalse();
        assertThat(state.associations(instanceId)).extracting(ChatStateStore.Association::message)
                .containsExactly(Optional.of(new MessageId("A1")));
        assertThat(state.labels(instanceId)).as("deleted ones left out").isEmpty();
    }

    @Test
    void theChatListShowsTheLabelsOnEachChatButNotDeletedOnesOrThoseOnAMessage() {
        state.apply(instanceId, new AppStateChange.LabelEdited("7", "VIP", 5, false, NOW));
        state.apply(instanceId, new AppStateChange.LabelEdited("1", "Lead", 2, false, NOW));
        state.apply(instanceId, new AppStateChange.LabelEdited("9", "Old", 1, false, NOW));
        for (var label : List.of("7", "1", "9")) {
            state.apply(instanceId, new AppStateChange.LabelAssociated(label, ALICE, Optional.empty(), true, NOW));
        }
        state.apply(instanceId, new AppStateChange.LabelEdited("4", "Pago", 3, false, NOW));
        state.apply(instanceId, new AppStateChange.LabelAssociated("4", ALICE, Optional.of(new MessageId("A1")),
                true, NOW));
        state.apply(instanceId, new AppStateChange.LabelEdited("9", "", 1, true, NOW));

        assertThat(messages.chats(instanceId, new PageRequest(10, null)).items().getFirst().labels())
                .containsExactly(new ChatLabel("1", "Lead", 2), new ChatLabel("7", "VIP", 5));
    }

    @Test
    void aStanzaIdIsFirstSeenOncePerInstanceAndForgottenAfterAWeek() {
        assertThat(stanzas.firstTime(instanceId, "gp2-1", NOW)).isTrue();
        assertThat(stanzas.firstTime(instanceId, "gp2-1", NOW.plusSeconds(60))).as("delivered again").isFalse();
        assertThat(stanzas.firstTime(instanceId, "gp2-2", NOW)).isTrue();
        var later = NOW.plus(ponte.application.port.out.InboundStanzas.KEPT).plusSeconds(1);
        assertThat(stanzas.firstTime(instanceId, "gp2-3", later)).isTrue();
        assertThat(stanzas.firstTime(instanceId, "gp2-1", later)).as("forgotten after a week").isTrue();
    }

    private ChatFlags flags() {
        return messages.chats(instanceId, new PageRequest(10, null)).items().getFirst().flags();
    }
}
