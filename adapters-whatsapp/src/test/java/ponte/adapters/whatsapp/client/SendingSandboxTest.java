package ponte.adapters.whatsapp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
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

/**
 * Our companion, linked to sandbox phone A by a scanned QR, sends 1:1 text to phone B through the sandbox: B's
 * primary device (a real Signal party) decrypts it, and A's primary gets the DeviceSentMessage.
 */
class SendingSandboxTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ANA = "5511987650011";
    private static final String BRUNO = "5511987650012";
    private final SecureRandom random = new SecureRandom();
    private final List<Companion> companions = new ArrayList<>();
    private SandboxServer sandbox;
    private SqlDeviceStore deviceStore;

    @BeforeEach
    void start() throws Exception {
        var database = SandboxFixture.database();
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
    void aTextReachesTheRecipientsPhoneDecryptedAndOurPhoneAsADeviceSentMessage() throws Exception {
        Linked linked = pairByQr(UUID.randomUUID());
        String id = messageId();

        SentMessage sent = linked.companion().sendText("+55 11 98765-0012", "Oi Bruno, tudo bem?", id)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(sent.id()).isEqualTo(id);
        assertThat(sent.chat()).isEqualTo(BRUNO + "@s.whatsapp.net");
        assertThat(sent.devices()).containsExactly(BRUNO + "@s.whatsapp.net", ANA + "@s.whatsapp.net");
        // a new session with Bruno only: Ana's phone started ours with its history bootstrap
        assertThat(sent.newSessions()).isEqualTo(1);
        assertThat(sent.preKeyMessages()).isEqualTo(1);
        assertThat(sent.timestamp().getEpochSecond()).isPositive();
        ReceivedMessage atBruno = await(() -> sandbox.phones().received(BRUNO), list -> !list.isEmpty()).getFirst();
        assertThat(atBruno.id()).isEqualTo(id);
        assertThat(atBruno.text()).isEqualTo("Oi Bruno, tudo bem?");
        assertThat(atBruno.from()).isEqualTo(ANA + "@s.whatsapp.net");
        assertThat(atBruno.fromDevice()).isEqualTo(linked.device().jid());
        assertThat(atBruno.sentByMe()).isFalse();
        ReceivedMessage atAna = await(() -> sandbox.phones().received(ANA), list -> !list.isEmpty()).getFirst();
        assertThat(atAna.id()).isEqualTo(id);
        assertThat(atAna.sentByMe()).isTrue();
        assertThat(atAna.chat()).isEqualTo(BRUNO + "@s.whatsapp.net");
        assertThat(atAna.text()).isEqualTo("Oi Bruno, tudo bem?");
    }

    @Test
    void aSecondMessageReusesTheSessionsAndBothArriveInOrder() throws Exception {
        Linked linked = pairByQr(UUID.randomUUID());
        linked.companion().sendText(BRUNO, "primeira", messageId()).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        SentMessage second = linked.companion().sendText(BRUNO + "@s.whatsapp.net", "segunda", messageId())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);

        // the same sessions, still pkmsg to Bruno until his first answer reaches us (libsignal's pending prekey);
        // the session with Ana's phone was started by the phone's history bootstrap, so ours to it are plain msg
        assertThat(second.newSessions()).isZero();
        assertThat(second.preKeyMessages()).isEqualTo(1);
        assertThat(await(() -> sandbox.phones().received(BRUNO), list -> list.size() == 2))
                .extracting(ReceivedMessage::text).containsExactly("primeira", "segunda");
    }

    @Test
    void sessionsSurviveAReconnectSoNoNewSessionIsSetUp() throws Exception {
        UUID id = UUID.randomUUID();
        Linked linked = pairByQr(id);
        linked.companion().sendText(BRUNO, "antes", messageId()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        linked.companion().close();
        CompanionRecorder events = new CompanionRecorder();
        Companion again = open(id, events);
        again.connect();
        events.await(CompanionEvent.LoggedIn.class, WAIT);

        SentMessage after = again.sendText(BRUNO, "depois", messageId()).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(after.newSessions()).isZero();
        assertThat(await(() -> sandbox.phones().received(BRUNO), list -> list.size() == 2))
                .extracting(ReceivedMessage::text).containsExactly("antes", "depois");
    }

    @Test
    void aTextToTheRecipientsLidReachesTheSamePhone() throws Exception {
        Linked linked = pairByQr(UUID.randomUUID());
        String lid = sandbox.phones().phone(BRUNO).orElseThrow().lid() + "@lid";

        SentMessage sent = linked.companion().sendText(lid, "pelo LID", messageId())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(sent.chat()).isEqualTo(lid);
        ReceivedMessage atBruno = await(() -> sandbox.phones().received(BRUNO), list -> !list.isEmpty()).getFirst();
        assertThat(atBruno.id()).isEqualTo(sent.id());
        assertThat(atBruno.text()).isEqualTo("pelo LID");
    }

    @Test
    void aNumberWithoutWhatsAppFailsClearlyAndNothingIsSent() throws Exception {
        Linked linked = pairByQr(UUID.randomUUID());

        var sent = linked.companion().sendText("4915199999999", "olá?", messageId());

        assertThatThrownBy(() -> sent.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(SendFailedException.class)
                .hasMessage("4915199999999 is not on WhatsApp");
        assertThat(sandbox.phones().received(ANA)).isEmpty();
    }

    @Test
    void malformedInputIsRefusedBeforeAnythingIsAsked() throws Exception {
        Linked linked = pairByQr(UUID.randomUUID());

        assertThatThrownBy(() -> linked.companion().sendText("not a number", "x", messageId())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS)).cause().isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a phone number");
        assertThatThrownBy(() -> linked.companion().sendText(BRUNO, "", messageId())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS)).cause().isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void aDevicesNotificationDropsTheCachedListSoANewCompanionOfTheRecipientIsReached() throws Exception {
        Linked linked = pairByQr(UUID.randomUUID());
        linked.companion().sendText(BRUNO, "um", messageId()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        // a second companion of Ana's own account appears: the server tells Ana's devices
        CompanionRecorder events = new CompanionRecorder();
        Companion other = open(UUID.randomUUID(), events);
        other.connect();
        sandbox.phones().scan(ANA, events.await(CompanionEvent.QrCode.class, WAIT).text())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        events.await(CompanionEvent.LoggedIn.class, WAIT);
        String otherJid = sandbox.phones().devices(ANA).getLast().jid();

        SentMessage sent = awaitSent(() -> linked.companion().sendText(BRUNO, "dois", messageId()),
                message -> message.devices().contains(otherJid));

        assertThat(sent.devices()).contains(BRUNO + "@s.whatsapp.net", ANA + "@s.whatsapp.net", otherJid);
    }

    private SentMessage awaitSent(Supplier<java.util.concurrent.CompletableFuture<SentMessage>> send,
            Predicate<SentMessage> done) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            SentMessage sent = send.get().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            if (done.test(sent) || System.nanoTime() > deadline) {
                return sent;
            }
            Thread.sleep(100);
        }
    }

    private record Linked(Companion companion, LinkedDevice device) {
    }

    private Linked pairByQr(UUID id) throws Exception {
        CompanionRecorder events = new CompanionRecorder();
        Companion companion = open(id, events);
        companion.connect();
        String qr = events.await(CompanionEvent.QrCode.class, WAIT).text();
        LinkedDevice device = sandbox.phones().scan(ANA, qr).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        events.await(CompanionEvent.LoggedIn.class, WAIT);
        // the phone's history bootstrap follows: it starts the Signal session between Ana's phone and this device
        events.await(CompanionEvent.PushNameLearned.class, WAIT);
        return new Linked(companion, device);
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
