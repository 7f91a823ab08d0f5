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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.oracle.BaileysOracle;
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
 * The three-account group of {@link GroupBaileysOracleTest}, LID-addressed ({@code addressing_mode="lid"}, as
 * WhatsApp's newer groups are): Baileys reads the participants by LID; our text, sent to LID devices under our LID
 * sender key, is decrypted by Baileys and by Carla's phone; Baileys' text (its LID sender identity) is decrypted by
 * us with the sender's number and LID.
 */
class LidGroupBaileysOracleTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int TIMEOUT_MS = 20_000;
    private static final String ANA = "5511955557001";
    private static final String BRUNO = "5511955557002";
    private static final String CARLA = "5511955557003";
    private final SecureRandom random = new SecureRandom();
    private final String session = UUID.randomUUID().toString();
    private final CompanionRecorder events = new CompanionRecorder();
    private final List<Companion> companions = new ArrayList<>();
    private SandboxServer sandbox;
    private Companion companion;
    private LinkedDevice ours;
    private LinkedDevice baileys;
    private String group;

    @BeforeEach
    void linkBothAndMakeTheGroup() throws Exception {
        var database = SandboxFixture.database();
        var deviceStore = SqlDeviceStore.migrateAndOpen(database, new TestCipher(), Clock.systemUTC());
        sandbox = SandboxFixture.start(SqlSandboxStore.migrateAndOpen(database), SandboxFixture.fastOptions());
        sandbox.phones().create(ANA, "Ana");
        sandbox.phones().create(BRUNO, "Bruno");
        sandbox.phones().create(CARLA, "Carla");
        companion = Companion.open(settings(sandbox), DeviceStores.of(deviceStore), UUID.randomUUID(), events,
                Clock.systemUTC(), random);
        companions.add(companion);
        companion.connect();
        ours = sandbox.phones().scan(ANA, events.await(CompanionEvent.QrCode.class, WAIT).text())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        events.await(CompanionEvent.LoggedIn.class, WAIT);
        events.await(CompanionEvent.PushNameLearned.class, WAIT);

        String qr = oracle().call(BaileysOracle.request("baileysStart").put("id", session)
                .put("wsUrl", sandbox.wsUrl().toString())
                .put("rootPublicKey", HexFormat.of().formatHex(sandbox.trustRoot().publicKey()))
                .put("timeoutMs", TIMEOUT_MS)).path("qr").asText();
        baileys = sandbox.phones().scan(BRUNO, qr).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        oracle().call(BaileysOracle.request("baileysAwaitOpen").put("id", session).put("timeoutMs", TIMEOUT_MS));
        // our prekeys are on the server before anyone needs a session with us
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (sandbox.phones().devices(ANA).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        group = sandbox.phones().createGroup(CARLA, "Três contas", List.of(ANA, BRUNO), true);
    }

    @AfterEach
    void stop() throws Exception {
        oracle().call(BaileysOracle.request("baileysEnd").put("id", session));
        companions.forEach(Companion::close);
        sandbox.close();
    }

    @Test
    void aLidGroupCarriesTextsBothWaysBetweenUsAndBaileys() throws Exception {
        String anaLid = sandbox.phones().phone(ANA).orElseThrow().lid();
        String brunoLid = sandbox.phones().phone(BRUNO).orElseThrow().lid();
        String carlaLid = sandbox.phones().phone(CARLA).orElseThrow().lid();
        JsonNode metadata = oracle().call(BaileysOracle.request("baileysGroupMetadata").put("id", session)
                .put("jid", group));
        assertThat(metadata.path("addressingMode").asText()).isEqualTo("lid");
        List<String> participants = new ArrayList<>();
        metadata.path("participants").forEach(p -> participants.add(p.path("id").asText()));
        assertThat(participants).containsExactly(carlaLid + "@lid", anaLid + "@lid", brunoLid + "@lid");

        SentMessage sent = companion.sendGroupText(group, "Olá, grupo LID, da Ponte", messageId())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);

        String baileysDevice = baileys.jid().substring(baileys.jid().indexOf(':'), baileys.jid().indexOf('@'));
        assertThat(sent.devices()).contains(brunoLid + baileysDevice + "@lid", carlaLid + "@lid");
        JsonNode atBaileys = texts(1).getFirst();
        assertThat(atBaileys.path("id").asText()).isEqualTo(sent.id());
        assertThat(atBaileys.path("text").asText()).isEqualTo("Olá, grupo LID, da Ponte");
        assertThat(atBaileys.path("remoteJid").asText()).isEqualTo(group);
        assertThat(atBaileys.path("participant").asText()).startsWith(anaLid);
        assertThat(await(() -> sandbox.phones().received(CARLA), list -> !list.isEmpty()))
                .extracting(ReceivedMessage::text).containsExactly("Olá, grupo LID, da Ponte");

        String id = oracle().call(BaileysOracle.request("baileysSendText").put("id", session)
                .put("to", group).put("text", "Oi grupo LID, do Baileys")).path("messageId").asText();
        Message message = await(() -> events.all(CompanionEvent.MessageReceived.class),
                list -> list.stream().anyMatch(m -> m.exchanged().message().id().value().equals(id)))
                .stream().filter(m -> m.exchanged().message().id().value().equals(id)).findFirst().orElseThrow()
                .exchanged().message();
        assertThat(message.chatJid().toString()).isEqualTo(group);
        assertThat(message.body()).isEqualTo(new Message.Text("Oi grupo LID, do Baileys"));
        assertThat(message.sender().lid().map(Object::toString)).contains(brunoLid + "@lid");
        assertThat(message.sender().jid().map(Object::toString)).contains(BRUNO + "@s.whatsapp.net");
        assertThat(await(() -> sandbox.phones().received(CARLA), list -> list.size() == 2).getLast().text())
                .isEqualTo("Oi grupo LID, do Baileys");
    }

    /** The texts Baileys decrypted (stubs of notifications left out), once there are {@code count}. */
    private List<JsonNode> texts(int count) throws InterruptedException {
        return await(() -> messages(0).stream().filter(m -> !m.path("text").isNull()
                && !m.path("text").asText().isEmpty()).toList(), list -> list.size() >= count);
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

    private static ClientSettings settings(SandboxServer server) {
        return SandboxFixture.fastClientSettings(server);
    }

    private static BaileysOracle oracle() {
        return BaileysOracle.get();
    }
}
