package ponte.adapters.whatsapp.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.sandbox.SandboxFixture;
import ponte.adapters.whatsapp.sandbox.SandboxServer;
import ponte.adapters.whatsapp.sandbox.store.sql.SqlSandboxStore;
import ponte.adapters.whatsapp.sandbox.ReceivedMessage;
import ponte.adapters.whatsapp.signal.SignalAddress;
import ponte.adapters.whatsapp.store.DeviceStores;
import ponte.adapters.whatsapp.store.TestCipher;
import ponte.adapters.whatsapp.store.sql.SqlDeviceStore;
import ponte.application.port.in.InboundMessagesUseCase;
import ponte.application.port.out.MessagingPort;
import ponte.domain.message.Jid;
import ponte.domain.message.MessageId;
import ponte.domain.message.MessageStatus;
import ponte.domain.proxy.EffectiveProxy;

/**
 * The engine as the core's {@link MessagingPort}, through the real sandbox: an instance linked to phone A sends to
 * phone B and hears B's delivered and read receipts, looks numbers up, and marks B's messages read.
 */
class MessagingPortTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String PHONE = "5511987650242";
    private static final String PEER = "5511987650277";

    private final RecordedReports reports = new RecordedReports();
    private final SecureRandom random = new SecureRandom();
    private SandboxServer sandbox;
    private SqlSandboxStore sandboxStore;
    private SqlDeviceStore store;
    private WhatsAppEngine engine;
    private UUID id;
    private String ourDevice;

    @BeforeEach
    void start() throws Exception {
        var database = SandboxFixture.database();
        store = SqlDeviceStore.migrateAndOpen(database, new TestCipher(), Clock.systemUTC());
        sandboxStore = SqlSandboxStore.migrateAndOpen(database);
        sandbox = SandboxFixture.start(sandboxStore, SandboxFixture.fastOptions());
        sandbox.phones().create(PHONE, "Ana");
        sandbox.phones().create(PEER, "Bia");
        var settings = SandboxFixture.fastClientSettings(sandbox);
        engine = new WhatsAppEngine(settings, DeviceStores.of(store), () -> reports, () -> reports, () -> reports,
                Clock.systemUTC(), random);
        id = UUID.randomUUID();
        pairByQr();
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
        sandbox.close();
    }

    @Test
    void aSentTextIsAckedWithTheServersTimeAndItsDeliveredAndReadReceiptsComeBackUnderOurId() throws Exception {
        var message = text(Jid.phone(PEER), "Oi Bia");

        Instant acked = engine.send(id, message).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(acked).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
        awaitUntil(() -> sandbox.phones().received(PEER).stream().anyMatch(r -> r.id().equals(message.id().value())));
        awaitUntil(() -> statuses(message.id()).contains(MessageStatus.DELIVERED));

        sandbox.phones().markRead(PEER, PHONE, List.of(message.id().value()));

        awaitUntil(() -> statuses(message.id()).contains(MessageStatus.READ));
        var read = reports.receipts().stream().filter(r -> r.status() == MessageStatus.READ).findFirst().orElseThrow();
        assertThat(read.chat()).isEqualTo(Jid.phone(PEER));
        assertThat(read.participant()).isEmpty();
        assertThat(read.ids()).containsExactly(message.id());
        // the receipts were acked after they were handed over: nothing stays queued for our device
        awaitUntil(() -> sandbox.phones().unacknowledged(PHONE) == 0);
    }

    @Test
    void aReplyWithMentionsReachesThePeerAsText() throws Exception {
        String quotedId = sandbox.phones().sendText(PEER, PHONE, "Vamos amanhã?");
        var reply = new MessagingPort.WireMessage(newId(), Jid.phone(PEER), "Sim, @" + PEER, false,
                Optional.of(new MessagingPort.Quote(new MessageId(quotedId), Jid.phone(PEER),
                        Optional.of("Vamos amanhã?"))), List.of(Jid.phone(PEER)));

        engine.send(id, reply).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        awaitUntil(() -> sandbox.phones().received(PEER).stream().anyMatch(r -> r.id().equals(reply.id().value())
                && r.text().equals("Sim, @" + PEER)));
    }

    @Test
    void groupsAndOfflineInstancesAreRefusedOrOfflineWithoutSending() {
        var toGroup = text(Jid.group("120363000000000001"), "oi grupo");
        assertThatThrownBy(() -> engine.send(id, toGroup).join()).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(MessagingPort.Refused.class);
        // a group the server does not know: no members, and a send to it is refused (GroupsBaileysOracleTest has
        // the groups that exist)
        assertThat(engine.group(id, Jid.group("120363000000000001"), WAIT)).isEmpty();
        UUID elsewhere = UUID.randomUUID();
        assertThatThrownBy(() -> engine.send(elsewhere, text(Jid.phone(PEER), "x")).join())
                .hasCauseInstanceOf(MessagingPort.Offline.class);
        assertThatThrownBy(() -> engine.lookup(elsewhere, List.of(Jid.phone(PEER)), WAIT))
                .isInstanceOf(MessagingPort.Offline.class);
        assertThatThrownBy(() -> engine.markRead(elsewhere, Jid.phone(PEER), Optional.empty(),
                List.of(newId()))).isInstanceOf(MessagingPort.Offline.class);
    }

    @Test
    void aLookupTellsAccountsFromStrangersWithTheServersJidAndLid() {
        String peerLid = sandbox.phones().phone(PEER).orElseThrow().lid();
        var stranger = Jid.phone("5511900001111");

        var answers = engine.lookup(id, List.of(stranger, Jid.phone(PEER)), WAIT);

        assertThat(answers).containsExactly(
                new MessagingPort.ContactLookup(stranger, false, Optional.empty(), Optional.empty()),
                new MessagingPort.ContactLookup(Jid.phone(PEER), true, Optional.of(Jid.phone(PEER)),
                        Optional.of(Jid.lid(peerLid))));
    }

    @Test
    void markReadSendsOneReadReceiptThatCoversEveryIdToThePeer() throws Exception {
        int before = reports.size();
        String first = sandbox.phones().sendText(PEER, PHONE, "um");
        reports.await("received(message.exchange)", before, WAIT);
        before = reports.size();
        String second = sandbox.phones().sendText(PEER, PHONE, "dois");
        reports.await("received(message.exchange)", before, WAIT);

        engine.markRead(id, Jid.phone(PEER), Optional.empty(), List.of(new MessageId(first), new MessageId(second)));

        awaitUntil(() -> sandbox.phones().receipts(PEER).stream().filter(r -> r.type().equals("read"))
                .filter(r -> r.from().equals(ourDevice)).map(r -> r.id()).toList().containsAll(List.of(first, second)));
    }

    @Test
    void aPnJidAndAnLidJidReachTheSamePersonOnOneSessionAlsoAfterAReconnect() throws Exception {
        String peerLid = sandbox.phones().phone(PEER).orElseThrow().lid();
        // the peer writes first: its stanza names its LID beside its number (sender_lid), which we keep
        int before = reports.size();
        sandbox.phones().sendText(PEER, PHONE, "oi");
        reports.await("received(message.exchange)", before, WAIT);
        assertThat(store.lidOf(id, PEER)).contains(peerLid);
        assertThat(store.phoneOf(id, peerLid)).contains(PEER);

        var toLid = text(Jid.lid(peerLid), "pela LID");
        var toPhone = text(Jid.phone(PEER), "pelo número");
        engine.send(id, toLid).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        engine.send(id, toPhone).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        // a new session object reads the mapping back from the device store
        engine.reconnect(id, EffectiveProxy.NONE);
        awaitUntil(() -> engine.isOnline(id));
        var afterReconnect = text(Jid.lid(peerLid), "de novo pela LID");
        engine.send(id, afterReconnect).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        var ids = List.of(toLid.id().value(), toPhone.id().value(), afterReconnect.id().value());
        awaitUntil(() -> sandbox.phones().received(PEER).stream().filter(r -> ids.contains(r.id())).count() == 3);
        // each copy keeps the form it was addressed in: the LID ones come from our device's LID, in our LID chat
        String ourLid = sandbox.phones().phone(PHONE).orElseThrow().lid();
        String ourLidDevice = ourLid + ourDevice.substring(ourDevice.indexOf(':'), ourDevice.indexOf('@')) + "@lid";
        assertThat(sandbox.phones().received(PEER).stream().filter(r -> ids.contains(r.id())))
                .extracting(ReceivedMessage::fromDevice, ReceivedMessage::chat).containsExactlyInAnyOrder(
                        tuple(ourLidDevice, ourLid + "@lid"), tuple(ourDevice, PHONE + "@s.whatsapp.net"),
                        tuple(ourLidDevice, ourLid + "@lid"));
        // one person, one session: the peer's phone is reached under its LID address, never under its number
        var unit = store.begin(id);
        assertThat(unit.session(new SignalAddress(peerLid, SignalAddress.LID_AGENT, 0))).isPresent();
        assertThat(unit.session(SignalAddress.of(PEER, 0))).isEmpty();
    }

    @Test
    void anLidJidWithoutAKnownNumberIsAddressedAsAnLid() throws Exception {
        String peerLid = sandbox.phones().phone(PEER).orElseThrow().lid();
        var toLid = text(Jid.lid(peerLid), "só a LID");

        engine.send(id, toLid).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        awaitUntil(() -> sandbox.phones().received(PEER).stream().anyMatch(r -> r.id().equals(toLid.id().value())
                && r.text().equals("só a LID")));
        // the device-list query for the LID told nothing about the number: nothing was guessed
        assertThat(store.phoneOf(id, peerLid)).isEmpty();
    }

    @Test
    void aRecipientThatRequiresAPrivacyTokenGetsTheMessageOnceAfterWeIssueOursAndTheNextCarriesTheToken()
            throws Exception {
        sandbox.phones().requirePrivacyTokens(PEER);
        var first = text(Jid.phone(PEER), "precisa de token");

        engine.send(id, first).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(sandbox.phones().privacyTokensIssued(PHONE)).isEqualTo(1);
        var second = text(Jid.phone(PEER), "já com token");
        engine.send(id, second).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        awaitUntil(() -> sandbox.phones().received(PEER).stream().anyMatch(r -> r.id().equals(second.id().value())));
        // the refused first try never reached the phone: it has each message once
        assertThat(sandbox.phones().received(PEER).stream().map(r -> r.id()))
                .containsOnlyOnce(first.id().value(), second.id().value());
        assertThat(sandbox.phones().privacyTokensIssued(PHONE)).as("the second send carried the token").isEqualTo(1);
    }

    @Test
    void aPhoneThatCannotDecryptOurMessageGetsItAgainFirstOnTheSessionThenOnANewOneFromTheKeysOfItsRetry()
            throws Exception {
        var first = text(Jid.phone(PEER), "primeira");
        engine.send(id, first).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        awaitUntil(() -> sandbox.phones().received(PEER).stream().anyMatch(r -> r.id().equals(first.id().value())));
        // the phone loses its session with our device: its try 1 asks without keys, and our answer on the old
        // session fails again; try 2 carries its keys, and only a new session set up from them can be decrypted
        sandbox.phones().forgetSession(PEER, ourDevice);
        var second = text(Jid.phone(PEER), "de novo");

        engine.send(id, second).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        awaitUntil(() -> sandbox.phones().received(PEER).stream().anyMatch(r -> r.id().equals(second.id().value())));
        assertThat(sandbox.phones().received(PEER).stream().filter(r -> r.id().equals(second.id().value())))
                .singleElement().satisfies(received -> {
                    assertThat(received.text()).isEqualTo("de novo");
                    assertThat(received.fromDevice()).isEqualTo(ourDevice);
                });
        // and the new session carries on: the next message decrypts without any retry
        var third = text(Jid.phone(PEER), "terceira");
        engine.send(id, third).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        awaitUntil(() -> sandbox.phones().received(PEER).stream().anyMatch(r -> r.id().equals(third.id().value())));
    }

    private List<MessageStatus> statuses(MessageId messageId) {
        return reports.receipts().stream().filter(r -> r.ids().contains(messageId))
                .map(InboundMessagesUseCase.Receipt::status).toList();
    }

    private MessagingPort.WireMessage text(Jid chat, String text) {
        return new MessagingPort.WireMessage(newId(), chat, text, true, Optional.empty(), List.of());
    }

    private MessageId newId() {
        byte[] bytes = new byte[MessageId.RANDOM_BYTES];
        random.nextBytes(bytes);
        return MessageId.generate(Instant.now(), Jid.phone(PHONE), bytes);
    }

    private void pairByQr() throws Exception {
        int before = reports.size();
        engine.start(id, EffectiveProxy.NONE);
        var qr = (String) reports.await("qr", before, WAIT).detail();
        sandbox.phones().scan(PHONE, qr).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        reports.await("connected", before, WAIT);
        int device = sandbox.phones().devices(PHONE).getFirst().device();
        ourDevice = PHONE + ":" + device + "@s.whatsapp.net";
        reports.await("account", before, WAIT);
        awaitUntil(() -> sandbox.phones().unacknowledged(PHONE) == 0);
    }

    private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + WAIT);
            }
            Thread.sleep(50);
        }
    }
}
