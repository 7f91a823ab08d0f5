package ponte.adapters.persistence.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ponte.adapters.persistence.PersistenceAdapter;
import ponte.application.model.ChatSummary;
import ponte.application.model.PageRequest;
import ponte.application.port.out.MessageStore;
import ponte.domain.instance.Instance;
import ponte.domain.instance.InstanceName;
import ponte.domain.message.Jid;
import ponte.domain.message.Message;
import ponte.domain.message.MessageId;
import ponte.domain.message.MessageStatus;
import ponte.domain.message.OutgoingStatus;
import ponte.domain.message.Sender;
import ponte.domain.tenant.Tenant;
import ponte.domain.validation.ValidationException;
import ponte.testing.PostgresFixture;

/** Chats derived from the message store, their pages, a person's PN and LID as one chat, and the body purge. */
class ChatStoreTest {
    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
    private static final Jid ALICE = Jid.phone("5511987654321");
    private static final Jid ALICE_LID = Jid.lid("7700001");
    private static final Jid BOB = Jid.phone("4915112345678");
    private static final Jid GROUP = Jid.group("120363012345678901");
    private static final Jid OWN = Jid.phone("5511900000000");

    private MessageStore store;
    private PersistenceAdapter db;
    private UUID tenantId;
    private UUID instanceId;

    @BeforeEach
    void migrate() {
        db = PersistenceAdapter.migrateAndOpen(PostgresFixture.newDatabase().dataSource());
        store = db.messages().store();
        var tenant = new Tenant(UUID.randomUUID(), "t", 10, NOW);
        db.tenants().insert(tenant);
        var instance = Instance.create(UUID.randomUUID(), tenant.id(), new InstanceName("shop"), Map.of(), NOW)
                .instance();
        db.instances().insert(instance);
        tenantId = tenant.id();
        instanceId = instance.id();
    }

    @Test
    void chatsComeNewestFirstWithTheirLastMessageUnreadCountAndName() {
        // Alice writes once by phone number, then the server addresses her chat by her LID
        insert(received("A1", ALICE, ALICE, NOW));
        insert(received("A2", ALICE_LID, ALICE, NOW.plusSeconds(10)));
        insert(received("G1", GROUP, BOB, NOW.plusSeconds(20)));
        insert(received("B1", BOB, BOB, NOW.plusSeconds(30)));
        var own = new Message(new MessageId("3EB0OWN"), BOB, true, Sender.of(OWN, Optional.empty(),
                Optional.of("Shop")), NOW.plusSeconds(40), MessageStatus.QUEUED, new Message.Text("answer"),
                Optional.empty(), List.of(), Optional.empty(), false);
        store.insert(tenantId, instanceId, own, Optional.of(OutgoingStatus.queued(own.id(), BOB,
                NOW.plusSeconds(40))), NOW);

        var first = store.chats(instanceId, new PageRequest(2, null));
        assertThat(first.items()).extracting(ChatSummary::jid).containsExactly(BOB, GROUP);
        var bob = first.items().getFirst();
        assertThat(bob.lastMessage().message().id().value()).isEqualTo("3EB0OWN");
        assertThat(bob.lastMessage().history()).extracting(c -> c.status()).containsExactly(MessageStatus.QUEUED);
        assertThat(bob.unreadCount()).isEqualTo(1);
        assertThat(bob.name()).contains("Push " + BOB.user());
        assertThat(bob.updatedAt()).isEqualTo(NOW.plusSeconds(40));
        var group = first.items().get(1);
        assertThat(group.isGroup()).isTrue();
        assertThat(group.name()).as("a member's push name is not the group's").isEmpty();
        assertThat(first.nextCursor()).isNotNull();

        var second = store.chats(instanceId, new PageRequest(2, first.nextCursor()));
        assertThat(second.items()).extracting(ChatSummary::jid).as("Alice's PN and LID chats are one")
                .containsExactly(ALICE);
        assertThat(second.items().getFirst().unreadCount()).isEqualTo(2);
        assertThat(second.items().getFirst().lastMessage().message().id().value()).isEqualTo("A2");
        assertThat(second.nextCursor()).isNull();

        assertThat(store.chats(UUID.randomUUID(), PageRequest.first()).items()).as("another instance").isEmpty();
        assertThatThrownBy(() -> store.chats(instanceId, new PageRequest(2, "not-a-cursor")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("cursor");
    }

    @Test
    void aChatsMessagesPageNewestFirstUnderEitherNameAndMarkReadTogether() {
        insert(received("A1", ALICE, ALICE, NOW));
        insert(received("A2", ALICE_LID, ALICE, NOW.plusSeconds(10)));
        insert(received("A3", ALICE, ALICE, NOW.plusSeconds(20)));
        insert(received("B1", BOB, BOB, NOW.plusSeconds(5)));

        var page = store.chatMessages(instanceId, ALICE_LID, new PageRequest(2, null));
        assertThat(page.items()).extracting(s -> s.message().id().value()).containsExactly("A3", "A2");
        assertThat(page.nextCursor()).isEqualTo("A2");
        var rest = store.chatMessages(instanceId, ALICE, new PageRequest(2, page.nextCursor()));
        assertThat(rest.items()).extracting(s -> s.message().id().value()).containsExactly("A1");
        assertThat(rest.nextCursor()).isNull();
        assertThat(store.chatMessages(instanceId, Jid.phone("4900000000"), PageRequest.first()).items())
                .as("a chat without messages").isEmpty();
        assertThatThrownBy(() -> store.chatMessages(instanceId, ALICE, new PageRequest(2, "NOPE")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("before");

        // read by her LID: the messages addressed by her phone number are read too
        assertThat(store.markChatRead(instanceId, ALICE_LID, NOW.plusSeconds(30)))
                .extracting(m -> m.id().value()).containsExactly("A1", "A2", "A3");
        assertThat(store.chats(instanceId, PageRequest.first()).items())
                .extracting(ChatSummary::jid, ChatSummary::unreadCount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ALICE, 0),
                        org.assertj.core.groups.Tuple.tuple(BOB, 1));
    }

    @Test
    void contactsAreThePeopleWhoWroteWithTheirPnLidAndLatestPushName() {
        insert(received("A1", ALICE, ALICE, NOW));
        insert(received("A2", ALICE_LID, ALICE, NOW.plusSeconds(10)));
        insert(received("G1", GROUP, BOB, NOW.plusSeconds(20)));
        // someone known only by LID
        insert(new Message(new MessageId("L1"), Jid.lid("555"), false, new Sender(Optional.empty(),
                Optional.of(Jid.lid("555")), Optional.of("Lia")), NOW, MessageStatus.DELIVERED,
                new Message.Text("oi"), Optional.empty(), List.of(), Optional.empty(), false));

        var all = store.contacts(instanceId, new PageRequest(2, null));
        assertThat(all.items()).extracting(c -> c.jid().toString())
                .containsExactly(BOB.toString(), ALICE.toString());
        var alice = all.items().get(1);
        assertThat(alice.lid()).contains(ALICE_LID);
        assertThat(alice.phoneNumber()).contains(ALICE.user());
        assertThat(alice.pushName()).contains("Alice");
        assertThat(alice.name()).isEmpty();
        var rest = store.contacts(instanceId, new PageRequest(2, all.nextCursor()));
        assertThat(rest.items()).singleElement().satisfies(c -> {
            assertThat(c.jid()).isEqualTo(Jid.lid("555"));
            assertThat(c.phoneNumber()).isEmpty();
            assertThat(c.pushName()).contains("Lia");
        });
        assertThat(rest.nextCursor()).isNull();

        assertThat(store.contact(instanceId, ALICE_LID).orElseThrow().jid()).as("by LID").isEqualTo(ALICE);
        assertThat(store.contact(instanceId, ALICE).orElseThrow().lid()).contains(ALICE_LID);
        assertThat(store.contact(instanceId, Jid.phone("4900000000"))).isEmpty();
    }

    @Test
    void aContactsCursorThisServerDidNotIssueIsRefusedAsTheChatsOneIs() {
        insert(received("A1", ALICE, ALICE, NOW));
        // "abc" is valid base64url (it decodes to two bytes), but not a JID: it was once an empty page
        for (var cursor : List.of("abc", "not-a-cursor", "!!")) {
            assertThatThrownBy(() -> store.contacts(instanceId, new PageRequest(2, cursor))).as(cursor)
                    .isInstanceOf(ValidationException.class).hasMessageContaining("cursor");
            assertThatThrownBy(() -> store.chats(instanceId, new PageRequest(2, cursor))).as(cursor)
                    .isInstanceOf(ValidationException.class).hasMessageContaining("cursor");
        }
    }

    @Test
    void thePurgeDropsBodiesStoredBeforeTheCutOffAndKeepsTheMetadata() {
        store.insert(tenantId, instanceId, received("OLD", ALICE, ALICE, NOW), Optional.empty(), NOW);
        store.insert(tenantId, instanceId, received("NEW", ALICE, ALICE, NOW), Optional.empty(), NOW.plusSeconds(60));

        assertThat(store.dropBodiesStoredBefore(NOW.plusSeconds(30))).isEqualTo(1);
        assertThat(store.dropBodiesStoredBefore(NOW.plusSeconds(30))).as("already dropped").isZero();
        var old = store.find(instanceId, new MessageId("OLD")).orElseThrow().message();
        assertThat(old.body()).isEqualTo(new Message.Text(""));
        assertThat(old.sender().jid()).contains(ALICE);
        assertThat(old.timestamp()).isEqualTo(NOW);
        assertThat(store.find(instanceId, new MessageId("NEW")).orElseThrow().message().body())
                .isEqualTo(new Message.Text("hi NEW"));
    }

    @Test
    void aLidChatWrittenBeforeThePairingIsFoldedIntoThePhoneNumbersChatWhenAMessagePairsThem() {
        // Lia writes by LID only (no phone number known): her chat is the LID's
        var lia = Jid.lid("4400001");
        var liaPn = Jid.phone("5511944440001");
        insert(new Message(new MessageId("L1"), lia, false, new Sender(Optional.empty(), Optional.of(lia),
                Optional.of("Lia")), NOW, MessageStatus.DELIVERED, new Message.Text("oi"), Optional.empty(),
                List.of(), Optional.empty(), false));
        insert(new Message(new MessageId("L2"), lia, false, new Sender(Optional.empty(), Optional.of(lia),
                Optional.of("Lia")), NOW.plusSeconds(1), MessageStatus.DELIVERED, new Message.Text("tudo?"),
                Optional.empty(), List.of(), Optional.empty(), false));
        assertThat(store.chats(instanceId, PageRequest.first()).items())
                .extracting(ChatSummary::jid, ChatSummary::unreadCount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(lia, 2));
        assertChatsAsDerived();

        // then a message by phone number that carries her LID: one chat, under the phone number, 3 unread
        insert(new Message(new MessageId("L3"), liaPn, false, Sender.of(liaPn, Optional.of(lia),
                Optional.of("Lia M.")), NOW.plusSeconds(2), MessageStatus.DELIVERED, new Message.Text("?"),
                Optional.empty(), List.of(), Optional.empty(), false));
        var chats = store.chats(instanceId, PageRequest.first()).items();
        assertThat(chats).extracting(ChatSummary::jid, ChatSummary::unreadCount, c -> c.name().orElseThrow())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(liaPn, 3, "Lia M."));
        assertChatsAsDerived();
    }

    @Test
    void theChatsTableMatchesTheChatsDerivedFromTheMessagesThroughEveryKindOfWrite() {
        insert(received("A1", ALICE, ALICE, NOW));
        insert(received("A2", ALICE_LID, ALICE, NOW.plusSeconds(10)));
        insert(received("G1", GROUP, BOB, NOW.plusSeconds(20)));
        assertChatsAsDerived();
        // a message stored late with an older timestamp does not become the last one
        insert(received("A0", ALICE, ALICE, NOW.minusSeconds(100)));
        assertChatsAsDerived();
        assertThat(chat(ALICE).lastMessage().message().id().value()).isEqualTo("A2");
        // the same id again changes nothing
        insert(received("A2", ALICE, ALICE, NOW.plusSeconds(90)));
        assertThat(chat(ALICE).unreadCount()).isEqualTo(3);

        // ours, then a number check moves it to another chat: the first chat's last message is back to A2
        var own = new Message(new MessageId("3EB0X"), ALICE, true, Sender.of(OWN, Optional.empty(),
                Optional.of("Shop")), NOW.plusSeconds(50), MessageStatus.QUEUED, new Message.Text("hello"),
                Optional.empty(), List.of(), Optional.empty(), false);
        store.insert(tenantId, instanceId, own, Optional.of(OutgoingStatus.queued(own.id(), ALICE,
                NOW.plusSeconds(50))), NOW);
        assertThat(chat(ALICE).lastMessage().message().id().value()).isEqualTo("3EB0X");
        var moved = Jid.phone("5511987650099");
        store.updateOutgoing(instanceId, new OutgoingStatus(own.id(), moved, MessageStatus.SENT, Optional.empty(),
                Map.of(), OutgoingStatus.queued(own.id(), ALICE, NOW.plusSeconds(50)).history()));
        assertThat(chat(ALICE).lastMessage().message().id().value()).isEqualTo("A2");
        assertThat(chat(moved).lastMessage().message().status()).isEqualTo(MessageStatus.SENT);
        assertChatsAsDerived();

        // read marking, inside a caller's transaction that rolls back: the count is back as it was
        try {
            db.transactions().run(() -> {
                store.markChatRead(instanceId, ALICE, NOW.plusSeconds(60));
                assertThat(chat(ALICE).unreadCount()).isZero();
                throw new IllegalStateException("roll back");
            });
        } catch (IllegalStateException expected) {
            // the store's writes went with the transaction
        }
        assertThat(chat(ALICE).unreadCount()).isEqualTo(3);
        store.markChatRead(instanceId, ALICE_LID, NOW.plusSeconds(60));
        assertThat(chat(ALICE).unreadCount()).isZero();
        insert(received("A9", ALICE_LID, ALICE, NOW.plusSeconds(70)));
        assertThat(chat(ALICE).unreadCount()).isEqualTo(1);
        assertChatsAsDerived();

        // a batch of history: stored as read, the chats brought up to date, duplicates skipped
        var history = List.of(received("H1", BOB, BOB, NOW.minusSeconds(3600)),
                received("H2", Jid.phone("4915100000001"), Jid.phone("4915100000001"), NOW.minusSeconds(1800)),
                received("A1", ALICE, ALICE, NOW));
        assertThat(store.insertHistory(tenantId, instanceId, history, NOW.plusSeconds(80)))
                .extracting(m -> m.id().value()).containsExactly("H1", "H2");
        assertThat(chat(BOB).unreadCount()).as("history is read").isZero();
        assertThat(chat(Jid.phone("4915100000001")).name()).contains("Push 4915100000001");
        assertThat(store.markChatRead(instanceId, BOB, NOW.plusSeconds(90))).as("no receipt for history").isEmpty();
        assertChatsAsDerived();
    }

    @Test
    void reactionsPollVotesAndOwnEditsAreNeitherAChatsLastMessageNorUnread() {
        insert(received("A1", ALICE, ALICE, NOW));
        insert(received("A2", ALICE, ALICE, NOW.plusSeconds(10)));
        // Alice reacts to A1 and votes in a poll after her last message: changes to other messages
        insert(change("R1", ALICE, NOW.plusSeconds(20), new Message.Reaction(new MessageId("A1"), "\uD83D\uDC4D")));
        insert(change("V1", ALICE, NOW.plusSeconds(30), new Message.PollVote(new MessageId("P1"), List.of("yes"))));
        // our own edit of an earlier message, stored as a change by its sender
        var edit = new Message(new MessageId("3EB0ED"), ALICE, true, Sender.of(OWN, Optional.empty(),
                Optional.of("Shop")), NOW.plusSeconds(40), MessageStatus.QUEUED, new Message.Text("fixed"),
                Optional.empty(), List.of(), Optional.empty(), false);
        store.insert(tenantId, instanceId, edit, Optional.of(OutgoingStatus.queued(edit.id(), ALICE,
                NOW.plusSeconds(40))), NOW, true);

        assertThat(chat(ALICE).unreadCount()).isEqualTo(2);
        assertThat(chat(ALICE).lastMessage().message().id().value()).isEqualTo("A2");
        assertThat(chat(ALICE).updatedAt()).isEqualTo(NOW.plusSeconds(10));
        assertChatsAsDerived();
        // a chat with nothing but a reaction in it is no chat yet
        insert(change("R2", BOB, NOW.plusSeconds(50), new Message.Reaction(new MessageId("X"), "\u2764")));
        assertThat(store.chats(instanceId, new PageRequest(200, null)).items()).extracting(ChatSummary::jid)
                .containsExactly(ALICE);

        // the counts rebuilt from the messages table (read marking, history) leave the changes out too
        insert(received("A3", ALICE, ALICE, NOW.plusSeconds(60)));
        store.markChatRead(instanceId, ALICE, NOW.plusSeconds(70));
        insert(change("R3", ALICE, NOW.plusSeconds(80), new Message.Reaction(new MessageId("A3"), "\u2764")));
        insert(received("A4", ALICE, ALICE, NOW.plusSeconds(90)));
        assertThat(store.insertHistory(tenantId, instanceId, List.of(change("H9", ALICE, NOW.plusSeconds(100),
                new Message.Reaction(new MessageId("A4"), "\u2764"))), NOW)).hasSize(1);
        assertThat(chat(ALICE).unreadCount()).isEqualTo(1);
        assertThat(chat(ALICE).lastMessage().message().id().value()).isEqualTo("A4");
        assertChatsAsDerived();
    }

    /** A change to another message ({@code body}) {@code from} sent in their chat. */
    private static Message change(String id, Jid from, Instant at, Message.Body body) {
        return new Message(new MessageId(id), from, false, Sender.of(from, Optional.empty(),
                Optional.of("Push " + from.user())), at, MessageStatus.DELIVERED, body, Optional.empty(), List.of(),
                Optional.empty(), false);
    }

    private ChatSummary chat(Jid jid) {
        return store.chats(instanceId, new PageRequest(200, null)).items().stream()
                .filter(c -> c.jid().equals(jid)).findFirst().orElseThrow();
    }

    /**
     * The oracle: the chats as GET /chats derived them from the messages table before the chats table (V6's query),
     * compared field by field with what the table serves.
     */
    private void assertChatsAsDerived() {
        record Row(String jid, String name, long unread, String lastId) {}
        var derived = org.jdbi.v3.core.Jdbi.create(db.dataSource()).withHandle(h -> h.createQuery("""
                        with pairs as (
                            select sender_lid as lid, min(sender_jid) as pn from messages
                            where instance_id = :instance and not from_me and sender_lid is not null
                                and sender_jid is not null
                            group by sender_lid),
                        keyed as (
                            select coalesce(p.pn, m.chat_jid) as chat, m.* from messages m
                            left join pairs p on p.lid = m.chat_jid
                            where m.instance_id = :instance and not m.protocol),
                        counted as (
                            select chat, count(*) filter (where not from_me and read_at is null) as unread,
                                (array_agg(message->'sender'->>'push_name' order by sent_at desc)
                                    filter (where not from_me and message->'sender'->>'push_name' is not null))[1]
                                    as name
                            from keyed group by chat),
                        latest as (
                            select distinct on (chat) chat, sent_at, id
                            from keyed order by chat, sent_at desc, created_at desc, id desc)
                        select l.chat, c.name, c.unread, l.id from latest l join counted c using (chat)
                        order by l.sent_at desc, l.chat desc""")
                .bind("instance", instanceId)
                .map((rs, ctx) -> new Row(rs.getString(1), rs.getString(1).endsWith("@g.us") ? null
                        : rs.getString(2), rs.getLong(3), rs.getString(4))).list());
        var served = store.chats(instanceId, new PageRequest(200, null)).items().stream()
                .map(c -> new Row(c.jid().toString(), c.name().orElse(null), c.unreadCount(),
                        c.lastMessage().message().id().value())).toList();
        assertThat(served).isEqualTo(derived);
    }

    private void insert(Message message) {
        store.insert(tenantId, instanceId, message, Optional.empty(), NOW);
    }

    /** A message {@code from} (known by phone number and LID) wrote in {@code chat}. */
    private static Message received(String id, Jid chat, Jid from, Instant at) {
        var lid = from.equals(ALICE) ? ALICE_LID : Jid.lid("88" + from.user());
        return new Message(new MessageId(id), chat, false, Sender.of(from, Optional.of(lid),
                Optional.of(from.equals(ALICE) ? "Alice" : "Push " + from.user())), at, MessageStatus.DELIVERED,
                new Message.Text("hi " + id), Optional.empty(), List.of(),
                chat.isGroup() ? Optional.of(from) : Optional.empty(), false);
    }
}
