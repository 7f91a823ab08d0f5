package ponte.adapters.persistence.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ponte.adapters.persistence.PersistenceAdapter;
import ponte.application.port.out.MessagingPort;
import ponte.application.port.out.OutgoingQueue;
import ponte.domain.instance.Instance;
import ponte.domain.instance.InstanceName;
import ponte.domain.message.IdempotencyKey;
import ponte.domain.message.Jid;
import ponte.domain.message.Message;
import ponte.domain.message.MessageId;
import ponte.domain.message.MessageStatus;
import ponte.domain.message.OutgoingStatus;
import ponte.domain.message.Sender;
import ponte.domain.tenant.Tenant;
import ponte.testing.PostgresFixture;

/** The message store, the outgoing queue and the idempotency keys on a real PostgreSQL. */
class MessageStoresTest {
    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
    private static final Jid ALICE = Jid.phone("5511987654321");
    private static final Jid BOB = Jid.phone("4915112345678");
    private static final Jid GROUP = Jid.group("120363012345678901");
    private static final UUID NODE = UUID.fromString("00000000-0000-0000-0000-0000000000a1");
    private static final Jid OWN = Jid.phone("5511900000000");

    private PersistenceAdapter db;
    private PersistenceAdapter.MessageStores stores;
    private UUID tenantId;
    private UUID instanceId;

    @BeforeEach
    void migrate() {
        db = PersistenceAdapter.migrateAndOpen(PostgresFixture.newDatabase().dataSource());
        stores = db.messages();
        var tenant = new Tenant(UUID.randomUUID(), "t", 10, NOW);
        db.tenants().insert(tenant);
        var instance = Instance.create(UUID.randomUUID(), tenant.id(), new InstanceName("shop"), Map.of(), NOW)
                .instance();
        db.instances().insert(instance);
        tenantId = tenant.id();
        instanceId = instance.id();
    }

    /** This test's node takes the instance's lease: only its holder may claim queue rows. */
    private ponte.application.model.LeaseFence owner() {
        return db.leases().acquire(NODE, instanceId, java.time.Duration.ofSeconds(30)).orElseThrow();
    }

    @Test
    void aMessageIsStoredOncePerIdAndReadBackAsItWasWritten() {
        var received = received("ABCDEF0123", ALICE, NOW);
        assertThat(stores.store().insert(tenantId, instanceId, received, Optional.empty(), NOW)).isTrue();
        // the server redelivers it, this time addressing the chat by the sender's LID: still the same message
        var again = new Message(received.id(), Jid.lid("123456789"), false, received.sender(), NOW,
                MessageStatus.DELIVERED, new Message.Text("hi"), Optional.empty(), List.of(), Optional.empty(),
                false);
        assertThat(stores.store().insert(tenantId, instanceId, again, Optional.empty(), NOW)).isFalse();

        var stored = stores.store().find(instanceId, received.id()).orElseThrow();
        assertThat(stored.tenantId()).isEqualTo(tenantId);
        assertThat(stored.message().wireForm()).isEqualTo(received.wireForm());
        assertThat(stored.outgoing()).isEmpty();
        assertThat(stores.store().find(UUID.randomUUID(), received.id())).as("another instance's").isEmpty();
    }

    @Test
    void anOutgoingGroupMessageKeepsItsMembersHistoryAndQuote() {
        var id = new MessageId("3EB0AAAAAAAAAAAAAAAAAA");
        var message = new Message(id, GROUP, true, new Sender(Optional.of(OWN), Optional.of(Jid.lid("999")),
                Optional.of("Shop")), NOW, MessageStatus.QUEUED, new Message.Text("hello group"),
                Optional.of(new Message.Quoted(new MessageId("Q1"), ALICE)), List.of(ALICE, BOB),
                Optional.of(OWN), false);
        var status = OutgoingStatus.queued(id, GROUP, NOW);
        stores.store().insert(tenantId, instanceId, message, Optional.of(status), NOW);
        var sent = status.acked(NOW.plusSeconds(1)).state();
        var delivered = sent.receipt(MessageStatus.DELIVERED, Jid.parse("5511987654321:3@s.whatsapp.net")
                .orElseThrow(), NOW.plusSeconds(2)).state();
        var read = delivered.receipt(MessageStatus.READ, BOB, NOW.plusSeconds(3)).state();
        db.transactions().run(() -> {
            assertThat(stores.store().lockOwn(instanceId, id)).isPresent();
            stores.store().updateOutgoing(instanceId, read);
        });

        var stored = stores.store().find(instanceId, id).orElseThrow();
        assertThat(stored.message().status()).isEqualTo(MessageStatus.READ);
        assertThat(stored.message().quoted()).contains(new Message.Quoted(new MessageId("Q1"), ALICE));
        assertThat(stored.message().mentions()).containsExactly(ALICE, BOB);
        assertThat(stored.outgoing()).contains(read);
        assertThat(stored.outgoing().orElseThrow().members())
                .isEqualTo(Map.of(ALICE, MessageStatus.DELIVERED, BOB, MessageStatus.READ));
        assertThat(stored.outgoing().orElseThrow().history()).extracting(c -> c.status())
                .containsExactly(MessageStatus.QUEUED, MessageStatus.SENT, MessageStatus.DELIVERED,
                        MessageStatus.READ);
    }

    @Test
    void aChatMarkedReadKeepsItsReceiptsPendingUntilTheyAreSent() {
        stores.store().insert(tenantId, instanceId, received("R1", ALICE, NOW), Optional.empty(), NOW);
        stores.store().insert(tenantId, instanceId, received("R2", ALICE, NOW.plusSeconds(1)), Optional.empty(), NOW);
        stores.store().insert(tenantId, instanceId, received("R3", BOB, NOW), Optional.empty(), NOW);

        var marked = stores.store().markChatRead(instanceId, ALICE, NOW.plusSeconds(5));
        assertThat(marked).extracting(m -> m.id().value()).containsExactly("R1", "R2");
        assertThat(marked).allMatch(m -> m.status() == MessageStatus.READ);
        assertThat(stores.store().markChatRead(instanceId, ALICE, NOW.plusSeconds(6))).as("already read").isEmpty();
        assertThat(stores.store().instancesWithPendingReceipts()).containsExactly(instanceId);
        assertThat(stores.store().pendingReadReceipts(instanceId, 10)).extracting(m -> m.id().value())
                .containsExactly("R1", "R2");

        stores.store().readReceiptsSent(instanceId, List.of(new MessageId("R1"), new MessageId("R2")));
        assertThat(stores.store().pendingReadReceipts(instanceId, 10)).isEmpty();
        assertThat(stores.store().instancesWithPendingReceipts()).isEmpty();
        assertThat(stores.store().find(instanceId, new MessageId("R3")).orElseThrow().message().status())
                .isEqualTo(MessageStatus.DELIVERED);
    }

    @Test
    void theQueueOffersEachChatsOldestOpenRowInAcceptedOrder() {
        var queue = stores.queue();
        queue.enqueue(instanceId, ALICE, new MessageId("A1"), send("a1"), NOW);
        queue.enqueue(instanceId, BOB, new MessageId("B1"), send("b1"), NOW);
        queue.enqueue(instanceId, ALICE, new MessageId("A2"), send("a2"), NOW);
        queue.enqueue(instanceId, BOB, new MessageId("B2"), send("b2"), NOW);

        assertThat(queue.instancesWithWork()).containsExactly(instanceId);
        assertThat(queue.heads(instanceId)).extracting(h -> h.id().value()).containsExactly("A1", "B1");

        assertThat(queue.markSending(instanceId, new MessageId("A1"), NOW, owner())).isTrue();
        var head = queue.heads(instanceId).getFirst();
        assertThat(head.sending()).as("in flight, or left so by a crash: its chat waits for it").isTrue();
        assertThat(head.attempts()).isOne();
        assertThat(head.send()).isEqualTo(send("a1"));

        queue.done(instanceId, new MessageId("A1"), NOW);
        queue.requeue(instanceId, new MessageId("B1"), NOW.plusSeconds(30));
        assertThat(queue.heads(instanceId)).extracting(h -> h.id().value() + "@" + h.notBefore())
                .containsExactly("B1@" + NOW.plusSeconds(30), "A2@" + NOW);

        queue.done(instanceId, new MessageId("A2"), NOW);
        queue.done(instanceId, new MessageId("B1"), NOW);
        queue.done(instanceId, new MessageId("B2"), NOW.plusSeconds(60));
        assertThat(queue.heads(instanceId)).isEmpty();
        assertThat(queue.instancesWithWork()).isEmpty();
        assertThat(queue.purgeDone(NOW.plusSeconds(30))).as("finished before then").isEqualTo(3);
        assertThat(queue.purgeDone(NOW.plusSeconds(30))).isZero();
        assertThat(queue.purgeDone(NOW.plusSeconds(61))).isOne();
    }

    @Test
    void aRowLeftSendingByACrashIsOfferedAgainWithItsIdAndAttempts() {
        var queue = stores.queue();
        queue.enqueue(instanceId, ALICE, new MessageId("A1"), send("a1"), NOW);
        assertThat(queue.markSending(instanceId, new MessageId("A1"), NOW, owner())).isTrue();

        // a new process opens the same database
        var restarted = PersistenceAdapter.migrateAndOpen(db.dataSource()).messages().queue();
        var head = restarted.heads(instanceId);
        assertThat(head).singleElement().satisfies(h -> {
            assertThat(h.id()).isEqualTo(new MessageId("A1"));
            assertThat(h.sending()).isTrue();
            assertThat(h.attempts()).isOne();
        });
    }

    @Test
    void aNumberCheckedAtSendTimeMovesTheRowToTheChatTheServerKnows() {
        var queue = stores.queue();
        var unverified = new OutgoingQueue.Send("hi", true, Optional.empty(), List.of(),
                List.of(Jid.phone("5511987654321"), Jid.phone("551187654321")));
        queue.enqueue(instanceId, Jid.phone("5511987654321"), new MessageId("A1"), unverified, NOW);
        var verified = new OutgoingQueue.Send("hi", true, Optional.empty(), List.of(), List.of());
        queue.retarget(instanceId, new MessageId("A1"), Jid.phone("551187654321"), verified);
        assertThat(queue.heads(instanceId)).singleElement().satisfies(h -> {
            assertThat(h.chat()).isEqualTo(Jid.phone("551187654321"));
            assertThat(h.send()).isEqualTo(verified);
        });
    }

    @Test
    void anIdempotencyKeyNamesItsMessageFor24HoursThenMayBeReused() {
        var keys = stores.keys();
        var key = new IdempotencyKey("order-42");
        var window = Duration.ofHours(24);
        assertThat(keys.find(instanceId, key, NOW.minus(window))).isEmpty();
        assertThat(keys.claim(instanceId, key, new MessageId("M1"), NOW, NOW.minus(window))).isEmpty();

        var later = NOW.plus(Duration.ofHours(23));
        assertThat(keys.find(instanceId, key, later.minus(window))).contains(new MessageId("M1"));
        assertThat(keys.claim(instanceId, key, new MessageId("M2"), later, later.minus(window)))
                .contains(new MessageId("M1"));

        var expired = NOW.plus(Duration.ofHours(25));
        assertThat(keys.find(instanceId, key, expired.minus(window))).isEmpty();
        assertThat(keys.claim(instanceId, key, new MessageId("M3"), expired, expired.minus(window))).isEmpty();
        assertThat(keys.find(instanceId, key, expired.minus(window))).contains(new MessageId("M3"));
    }

    @Test
    void twoConcurrentSendsWithOneKeyTakeItOnce() throws Exception {
        var key = new IdempotencyKey("same-key");
        var since = NOW.minus(Duration.ofHours(24));
        var firstHolds = new CountDownLatch(1);
        var secondStarted = new CountDownLatch(1);
        var secondSaw = new AtomicReference<Optional<MessageId>>();
        var first = Thread.ofVirtual().start(() -> db.transactions().run(() -> {
            assertThat(stores.keys().claim(instanceId, key, new MessageId("FIRST"), NOW, since)).isEmpty();
            firstHolds.countDown();
            try {
                secondStarted.await();
                Thread.sleep(300); // the second claim is now waiting on our uncommitted row
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }));
        firstHolds.await();
        var second = Thread.ofVirtual().start(() -> db.transactions().run(() -> {
            secondStarted.countDown();
            secondSaw.set(stores.keys().claim(instanceId, key, new MessageId("SECOND"), NOW, since));
        }));
        first.join();
        second.join();
        assertThat(secondSaw.get()).contains(new MessageId("FIRST"));
    }

    @Test
    void changesToOtherMessagesAreKeptButNotListedInTheChatsHistory() {
        var store = stores.store();
        var original = received("ORIG", ALICE, NOW);
        store.insert(tenantId, instanceId, original, Optional.empty(), NOW);
        var reaction = new Message(new MessageId("REACT"), ALICE, false, original.sender(), NOW.plusSeconds(1),
                MessageStatus.DELIVERED, new Message.Reaction(original.id(), "👍"), Optional.empty(), List.of(),
                Optional.empty(), false);
        store.insert(tenantId, instanceId, reaction, Optional.empty(), NOW);
        // our own edit's protocol message, filed at its original's time, as the message service stores it
        var edit = new Message(new MessageId("3EB0EDIT"), ALICE, true, Sender.of(OWN, Optional.empty(),
                Optional.empty()), NOW, MessageStatus.QUEUED, new Message.Text("novo"), Optional.empty(), List.of(),
                Optional.empty(), false);
        store.insert(tenantId, instanceId, edit, Optional.of(OutgoingStatus.queued(edit.id(), ALICE, NOW)), NOW,
                true);

        var history = store.chatMessages(instanceId, ALICE, new ponte.application.model.PageRequest(10, null));
        assertThat(history.items()).extracting(m -> m.message().id().value()).containsExactly("ORIG");
        assertThat(store.find(instanceId, reaction.id())).as("still kept, for its events").isPresent();
        assertThat(store.find(instanceId, edit.id())).as("still kept, for its status").isPresent();
    }

    @Test
    void aLockedMessageIsChangedByOneTransactionAtATime() throws Exception {
        var store = stores.store();
        var original = received("LOCKED", ALICE, NOW);
        store.insert(tenantId, instanceId, original, Optional.empty(), NOW);
        var locked = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var holder = new Thread(() -> db.transactions().run(() -> {
            store.lock(instanceId, original.id()).orElseThrow();
            locked.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            store.replace(instanceId, original.asRevoked());
        }));
        holder.start();
        locked.await();
        var seen = new AtomicReference<Message>();
        var waiter = new Thread(() -> db.transactions().run(
                () -> seen.set(store.lock(instanceId, original.id()).orElseThrow().message())));
        waiter.start();
        Thread.sleep(300);
        assertThat(seen.get()).as("the second lock waits for the first transaction").isNull();
        release.countDown();
        holder.join(10_000);
        waiter.join(10_000);
        assertThat(seen.get().revoked()).as("and then reads what it committed").isTrue();
        assertThat(seen.get().wireForm()).doesNotContainKey("text");
    }

    private static Message received(String id, Jid from, Instant at) {
        return new Message(new MessageId(id), from, false, Sender.of(from, Optional.of(Jid.lid("77" + from.user())),
                Optional.of("Alice")), at, MessageStatus.DELIVERED, new Message.Text("hi " + id), Optional.empty(),
                List.of(), Optional.empty(), false);
    }

    private static OutgoingQueue.Send send(String text) {
        return new OutgoingQueue.Send(text, false, Optional.of(new MessagingPort.Quote(new MessageId("Q"), ALICE,
                Optional.of("quoted"))), List.of(BOB), List.of());
    }
}
