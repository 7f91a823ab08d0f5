package ponte.adapters.whatsapp.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import ponte.adapters.whatsapp.oracle.BaileysOracle;
import ponte.adapters.whatsapp.sandbox.SandboxFixture;
import ponte.adapters.whatsapp.sandbox.SandboxServer;
import ponte.adapters.whatsapp.sandbox.store.sql.SqlSandboxStore;
import ponte.adapters.whatsapp.socket.SocketSettings;
import ponte.adapters.whatsapp.store.DeviceStores;
import ponte.adapters.whatsapp.store.TestCipher;
import ponte.adapters.whatsapp.store.sql.SqlDeviceStore;
import ponte.domain.message.Message;

/**
 * LID addressing against an unmodified Baileys (7.0.0-rc14, which keys its sessions by LID once it knows one)
 * through the sandbox: our companion (phone A) and Baileys (phone B) first talk by phone number; then our store is
 * put back to a pre-LID state (the session under B's number, no mapping) and restarted; the next messages, one to
 * B's number and one LID-addressed to B's {@code @lid}, run on the moved session and Baileys decrypts both; Baileys
 * answers in the LID chat and we decrypt that on the same session.
 */
class LidSessionsBaileysOracleTest {

    private static final int TIMEOUT_MS = 20_000;
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ANA = "5511955563001";
    private static final String BRUNO = "5511955563002";
    private final String session = UUID.randomUUID().toString();
    private final SecureRandom random = new SecureRandom();
    private final List<Companion> companions = new ArrayList<>();
    private DataSource database;
    private SandboxServer sandbox;
    private SqlDeviceStore deviceStore;

    @BeforeEach
    void linkBoth() throws Exception {
        database = SandboxFixture.database();
        deviceStore = SqlDeviceStore.migrateAndOpen(database, new TestCipher(), Clock.systemUTC());
        sandbox = SandboxFixture.start(SqlSandboxStore.migrateAndOpen(database), SandboxFixture.fastOptions());
        sandbox.phones().create(ANA, "Ana");
        sandbox.phones().create(BRUNO, "Bruno");
        String qr = oracle().call(BaileysOracle.request("baileysStart").put("id", session)
                .put("wsUrl", sandbox.wsUrl().toString())
                .put("rootPublicKey", HexFormat.of().formatHex(sandbox.trustRoot().publicKey()))
                .put("timeoutMs", TIMEOUT_MS)).path("qr").asText();
        sandbox.phones().scan(BRUNO, qr).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        oracle().call(BaileysOracle.request("baileysAwaitOpen").put("id", session).put("timeoutMs", TIMEOUT_MS));
    }

    @AfterEach
    void stop() throws Exception {
        oracle().call(BaileysOracle.request("baileysEnd").put("id", session));
        companions.forEach(Companion::close);
        sandbox.close();
    }

    @Test
    void aPnSessionMovedToTheLidCarriesTextsBothWaysWithBaileys() throws Exception {
        UUID id = UUID.randomUUID();
        CompanionRecorder events = new CompanionRecorder();
        Companion companion = open(id, events);
        companion.connect();
        sandbox.phones().scan(ANA, events.await(CompanionEvent.QrCode.class, WAIT).text())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        events.await(CompanionEvent.LoggedIn.class, WAIT);
        events.await(CompanionEvent.PushNameLearned.class, WAIT);
        String baileysDevice = sandbox.phones().devices(BRUNO).getFirst().jid();
        String baileysNumber = baileysDevice.substring(0, baileysDevice.indexOf('@'));
        String brunoLid = sandbox.phones().phone(BRUNO).orElseThrow().lid();
        String anaLid = sandbox.phones().phone(ANA).orElseThrow().lid();
        String baileysLidAddress = brunoLid + "_1." + baileysNumber.substring(baileysNumber.indexOf(':') + 1);

        companion.sendText(BRUNO, "pelo número", messageId()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(messages(1).getFirst().path("text").asText()).isEqualTo("pelo número");

        companion.close();
        PreLidStore.rewind(database, id);
        assertThat(PreLidStore.sessionNames(database, id)).doesNotContain(baileysLidAddress);
        CompanionRecorder again = new CompanionRecorder();
        companion = open(id, again);
        companion.connect();
        again.await(CompanionEvent.LoggedIn.class, WAIT);

        SentMessage toNumber = companion.sendText(BRUNO, "de novo pelo número", messageId())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        SentMessage toLid = companion.sendText(brunoLid + "@lid", "pela LID", messageId())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(toNumber.newSessions()).isZero();
        assertThat(toLid.newSessions()).isZero();
        assertThat(toLid.devices()).contains(brunoLid + ":" + baileysNumber.substring(baileysNumber.indexOf(':') + 1)
                + "@lid");
        assertThat(PreLidStore.sessionNames(database, id)).contains(baileysLidAddress)
                .noneMatch(name -> name.startsWith(BRUNO + "."));
        List<JsonNode> received = messages(3);
        assertThat(received).extracting(m -> m.path("text").asText())
                .containsExactly("pelo número", "de novo pelo número", "pela LID");
        assertThat(received).allSatisfy(m ->
                assertThat(m.path("stub").isNull()).as("no decryption failure stub: %s", m).isTrue());
        assertThat(received.get(2).path("id").asText()).isEqualTo(toLid.id());
        assertThat(received.get(2).path("remoteJid").asText()).isEqualTo(anaLid + "@lid");

        // Baileys answers in the LID chat it sees; we decrypt it on the same session
        String reply = oracle().call(BaileysOracle.request("baileysSendText").put("id", session)
                .put("to", anaLid + "@lid").put("text", "resposta pela LID")).path("messageId").asText();
        Message answer = await(() -> again.all(CompanionEvent.MessageReceived.class),
                list -> list.stream().anyMatch(m -> m.exchanged().message().id().value().equals(reply)))
                .stream().filter(m -> m.exchanged().message().id().value().equals(reply)).findFirst().orElseThrow()
                .exchanged().message();
        assertThat(answer.body()).isEqualTo(new Message.Text("resposta pela LID"));
        assertThat(answer.fromMe()).isFalse();
        assertThat(answer.sender().lid().map(Object::toString)).contains(brunoLid + "@lid");
        assertThat(PreLidStore.sessionNames(database, id)).noneMatch(name -> name.startsWith(BRUNO + "."));
    }

    private Companion open(UUID id, CompanionRecorder events) {
        Companion companion = Companion.open(ClientSettings.of(SocketSettings.whatsapp().withEndpoint(
                sandbox.wsUrl(), sandbox.trustRoot()), WaVersion.DEFAULT), DeviceStores.of(deviceStore), id, events,
                Clock.systemUTC(), random);
        companions.add(companion);
        return companion;
    }

    private List<JsonNode> messages(int count) {
        JsonNode answer = oracle().call(BaileysOracle.request("baileysMessages").put("id", session)
                .put("count", count).put("timeoutMs", TIMEOUT_MS));
        List<JsonNode> list = new ArrayList<>();
        answer.path("messages").forEach(list::add);
        return list;
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

    private static BaileysOracle oracle() {
        return BaileysOracle.get();
    }
}
