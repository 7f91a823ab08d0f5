package ponte.adapters.whatsapp.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.sandbox.ReceivedMessage;
import ponte.adapters.whatsapp.sandbox.SandboxFixture;
import ponte.adapters.whatsapp.sandbox.SandboxServer;
import ponte.adapters.whatsapp.sandbox.store.LinkedDevice;
import ponte.adapters.whatsapp.sandbox.store.sql.SqlSandboxStore;
import ponte.adapters.whatsapp.store.DeviceStores;
import ponte.adapters.whatsapp.store.TestCipher;
import ponte.adapters.whatsapp.store.sql.SqlDeviceStore;
import ponte.domain.message.Message;

/**
 * LID-addressed 1:1 sessions on the wire, through the sandbox: a session set up under a phone number moves to the
 * LID address once the LID is known, and messages to and from either form run on it.
 */
class LidSessionsSandboxTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ANA = "5511987653011";
    private static final String BRUNO = "5511987653012";
    private final SecureRandom random = new SecureRandom();
    private final List<Companion> companions = new ArrayList<>();
    private DataSource database;
    private SandboxServer sandbox;
    private SqlDeviceStore deviceStore;

    @BeforeEach
    void start() throws Exception {
        database = SandboxFixture.database();
        deviceStore = SqlDeviceStore.migrateAndOpen(database, new TestCipher(), Clock.systemUTC());
        sandbox = SandboxFixture.start(SqlSandboxStore.migrateAndOpen(database), SandboxFixture.fastOptions());
        sandbox.phones().create(ANA, "Ana");
        sandbox.phones().create(BRUNO, "Bruno");
    }

    @AfterEach
    void stop() throws Exception {
        companions.forEach(Companion::close);
        sandbox.close();
    }

    @Test
    void aSessionUnderThePhoneNumberMovesToTheLidOnceAndCarriesMessagesBothWays() throws Exception {
        UUID id = UUID.randomUUID();
        CompanionRecorder events = new CompanionRecorder();
        Companion companion = open(id, events);
        companion.connect();
        LinkedDevice ours = sandbox.phones().scan(ANA, events.await(CompanionEvent.QrCode.class, WAIT).text())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        events.await(CompanionEvent.LoggedIn.class, WAIT);
        events.await(CompanionEvent.PushNameLearned.class, WAIT);
        String brunoLid = sandbox.phones().phone(BRUNO).orElseThrow().lid();
        String anaLid = sandbox.phones().phone(ANA).orElseThrow().lid();

        SentMessage first = companion.sendText(BRUNO, "primeira", messageId()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        // the device-list query told Bruno's LID before anything was encrypted: the session is the LID one at once
        assertThat(first.newSessions()).isEqualTo(1);
        assertThat(PreLidStore.sessionNames(database, id)).contains(brunoLid + "_1.0").doesNotContain(BRUNO + ".0");

        // the store a client from before LID sessions left: every session under the number, no mapping known
        companion.close();
        assertThat(PreLidStore.rewind(database, id)).isPositive();
        assertThat(PreLidStore.sessionNames(database, id)).contains(BRUNO + ".0").doesNotContain(brunoLid + "_1.0");
        CompanionRecorder again = new CompanionRecorder();
        companion = open(id, again);
        companion.connect();
        again.await(CompanionEvent.LoggedIn.class, WAIT);

        // the number's device list tells its LID again; then the LID form finds the same session
        SentMessage toNumber = companion.sendText(BRUNO, "pelo número", messageId())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        SentMessage toLid = companion.sendText(brunoLid + "@lid", "pela LID", messageId())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);

        // the old session went on under the LID: no new session (Bruno has not answered yet, so our copies are
        // still prekey messages of the first one), and the number's row is gone
        assertThat(toNumber.newSessions()).isZero();
        assertThat(toLid.newSessions()).isZero();
        assertThat(toLid.devices()).contains(brunoLid + "@lid");
        assertThat(toNumber.devices()).contains(BRUNO + "@s.whatsapp.net");
        assertThat(PreLidStore.sessionNames(database, id)).contains(brunoLid + "_1.0").doesNotContain(BRUNO + ".0");
        List<ReceivedMessage> atBruno = await(() -> sandbox.phones().received(BRUNO), list -> list.size() == 3);
        assertThat(atBruno).extracting(ReceivedMessage::text).containsExactly("primeira", "pelo número", "pela LID");
        int device = Integer.parseInt(ours.jid().substring(ours.jid().indexOf(':') + 1, ours.jid().indexOf('@')));
        assertThat(atBruno.get(1).fromDevice()).isEqualTo(ours.jid());
        assertThat(atBruno.get(2).fromDevice()).isEqualTo(anaLid + ":" + device + "@lid");
        assertThat(atBruno.get(2).chat()).isEqualTo(anaLid + "@lid");

        // Bruno's phone answers; we decrypt on the same LID session
        String reply = sandbox.phones().sendText(BRUNO, ANA, "resposta");
        Message received = await(() -> again.all(CompanionEvent.MessageReceived.class), list -> !list.isEmpty())
                .getFirst().exchanged().message();
        assertThat(received.id().value()).isEqualTo(reply);
        assertThat(received.body()).isEqualTo(new Message.Text("resposta"));
        assertThat(received.sender().lid().map(Object::toString)).contains(brunoLid + "@lid");
        assertThat(PreLidStore.sessionNames(database, id)).doesNotContain(BRUNO + ".0");
    }

    @Test
    void aPhoneThatLostOurLidSessionAsksForTheMessageAgainAndGetsItOnANewOne() throws Exception {
        CompanionRecorder events = new CompanionRecorder();
        Companion companion = open(UUID.randomUUID(), events);
        companion.connect();
        LinkedDevice ours = sandbox.phones().scan(ANA, events.await(CompanionEvent.QrCode.class, WAIT).text())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        events.await(CompanionEvent.LoggedIn.class, WAIT);
        events.await(CompanionEvent.PushNameLearned.class, WAIT);
        String brunoLid = sandbox.phones().phone(BRUNO).orElseThrow().lid() + "@lid";
        String anaLid = sandbox.phones().phone(ANA).orElseThrow().lid();
        String ourLidDevice = anaLid + ours.jid().substring(ours.jid().indexOf(':'), ours.jid().indexOf('@')) + "@lid";
        companion.sendText(brunoLid, "primeira", messageId()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await(() -> sandbox.phones().received(BRUNO), list -> list.size() == 1);

        sandbox.phones().forgetSession(BRUNO, ourLidDevice);
        SentMessage lost = companion.sendText(brunoLid, "segunda", messageId()).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        // the phone's retry receipts (keys from the second) reach our LID device, and the answer is read at last
        List<ReceivedMessage> atBruno = await(() -> sandbox.phones().received(BRUNO), list -> list.size() == 2);
        assertThat(atBruno.getLast().id()).isEqualTo(lost.id());
        assertThat(atBruno.getLast().text()).isEqualTo("segunda");
        assertThat(atBruno.getLast().fromDevice()).isEqualTo(ourLidDevice);
    }

    @Test
    void aPrivacyTokenOutlivesARestartSoTheNextSendCarriesItAtOnce() throws Exception {
        UUID id = UUID.randomUUID();
        CompanionRecorder events = new CompanionRecorder();
        Companion companion = open(id, events);
        companion.connect();
        sandbox.phones().scan(ANA, events.await(CompanionEvent.QrCode.class, WAIT).text())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        events.await(CompanionEvent.LoggedIn.class, WAIT);
        sandbox.phones().requirePrivacyTokens(BRUNO);

        companion.sendText(BRUNO, "antes", messageId()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(sandbox.phones().privacyTokensIssued(ANA)).as("the refused first try issued ours").isEqualTo(1);
        companion.close();
        CompanionRecorder again = new CompanionRecorder();
        companion = open(id, again);
        companion.connect();
        again.await(CompanionEvent.LoggedIn.class, WAIT);

        companion.sendText(BRUNO, "depois", messageId()).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        // the token came back from the device store: no 463, nothing issued again
        assertThat(sandbox.phones().privacyTokensIssued(ANA)).isEqualTo(1);
        assertThat(await(() -> sandbox.phones().received(BRUNO), list -> list.size() == 2))
                .extracting(ReceivedMessage::text).containsExactly("antes", "depois");
    }

    @Test
    void keptMessagesOlderThanTheRetentionArePurgedOnTheSharedTimers() throws Exception {
        UUID id = UUID.randomUUID();
        CompanionRecorder events = new CompanionRecorder();
        Companion companion = open(id, events);
        companion.connect();
        sandbox.phones().scan(ANA, events.await(CompanionEvent.QrCode.class, WAIT).text())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        events.await(CompanionEvent.LoggedIn.class, WAIT);
        SentMessage sent = companion.sendText(BRUNO, "guardada", messageId()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(deviceStore.sentMessage(id, sent.id())).isPresent();

        try (KeptMessagePurge kept = KeptMessagePurge.start(deviceStore, Clock.systemUTC(), Duration.ofDays(1),
                Duration.ofMillis(50))) {
            Thread.sleep(300);
            assertThat(deviceStore.sentMessage(id, sent.id())).as("younger than the retention").isPresent();
        }
        try (KeptMessagePurge purge = KeptMessagePurge.start(deviceStore, Clock.offset(Clock.systemUTC(),
                Duration.ofDays(2)), Duration.ofDays(1), Duration.ofMillis(50))) {
            await(() -> deviceStore.sentMessage(id, sent.id()).isEmpty(), gone -> gone);
        }
    }

    private Companion open(UUID id, CompanionRecorder events) {
        Companion companion = Companion.open(settings(sandbox), DeviceStores.of(deviceStore), id, events,
                Clock.systemUTC(), random);
        companions.add(companion);
        return companion;
    }

    private String messageId() {
        byte[] bytes = new byte[8];
        random.nextBytes(bytes);
        return "3EB0" + HexFormat.of().withUpperCase().formatHex(bytes);
    }

    private static <T> T await(Supplier<T> read, Predicate<T> done) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        T value = read.get();
        while (!done.test(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + value);
            }
            Thread.sleep(50);
            value = read.get();
        }
        return value;
    }

    private static ClientSettings settings(SandboxServer server) {
        return SandboxFixture.fastClientSettings(server);
    }
}
