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
 * The three-account group: our companion (linked to phone Ana), an unmodified Baileys client (linked to phone
 * Bruno) and Carla's phone, in the group Carla created. Our group text is decrypted by Baileys (its own group
 * metadata query, SKDM processing and sender-key decryption) and by Carla's phone; Baileys' group text (its own
 * metadata query, usync, sessions, SKDM fan-out and skmsg) is decrypted by us, with the right text, sender phone
 * number and LID.
 */
class GroupBaileysOracleTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int TIMEOUT_MS = 20_000;
    private static final String ANA = "5511955553001";
    private static final String BRUNO = "5511955553002";
    private static final String CARLA = "5511955553003";
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
        group = sandbox.phones().createGroup(CARLA, "Três contas", List.of(ANA, BRUNO));
    }

    @AfterEach
    void stop() throws Exception {
        oracle().call(BaileysOracle.request("baileysEnd").put("id", session));
        companions.forEach(Companion::close);
        sandbox.close();
    }

    @Test
    void baileysReadsTheSandboxGroupsMetadata() {
        JsonNode metadata = oracle().call(BaileysOracle.request("baileysGroupMetadata").put("id", session)
                .put("jid", group));

        assertThat(metadata.path("id").asText()).isEqualTo(group);
        assertThat(metadata.path("subject").asText()).isEqualTo("Três contas");
        assertThat(metadata.path("addressingMode").asText()).isEqualTo("pn");
        assertThat(metadata.path("owner").asText()).isEqualTo(CARLA + "@s.whatsapp.net");
        List<String> participants = new ArrayList<>();
        metadata.path("participants").forEach(p -> participants.add(p.path("id").asText()));
        assertThat(participants).containsExactly(CARLA + "@s.whatsapp.net", ANA + "@s.whatsapp.net",
                BRUNO + "@s.whatsapp.net");
        assertThat(metadata.path("participants").get(0).path("admin").asText()).isEqualTo("superadmin");
    }

    @Test
    void ourGroupTextIsDecryptedByBaileysAndByTheThirdPhone() throws Exception {
        SentMessage sent = companion.sendGroupText(group, "Olá, grupo, da Ponte", messageId())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        SentMessage second = companion.sendGroupText(group, "Segunda da Ponte", messageId())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(sent.devices()).contains(baileys.jid(), CARLA + "@s.whatsapp.net");
        // Baileys also upserts the group's creation (a stub message of the w:gp2 notification): skip it
        List<JsonNode> atBaileys = messages(3).stream().filter(m -> !m.path("text").isNull()).toList();
        assertThat(atBaileys).extracting(m -> m.path("id").asText()).containsExactly(sent.id(), second.id());
        assertThat(atBaileys).extracting(m -> m.path("text").asText())
                .containsExactly("Olá, grupo, da Ponte", "Segunda da Ponte");
        assertThat(atBaileys).allSatisfy(m -> {
            assertThat(m.path("remoteJid").asText()).isEqualTo(group);
            assertThat(m.path("participant").asText()).startsWith(ANA);
            assertThat(m.path("stub").isNull()).as("no decryption failure stub: %s", m).isTrue();
        });
        assertThat(await(() -> sandbox.phones().received(CARLA), list -> list.size() == 2))
                .extracting(ReceivedMessage::text).containsExactly("Olá, grupo, da Ponte", "Segunda da Ponte");
    }

    @Test
    void baileysGroupTextIsDecryptedByUsWithTheSendersNumberAndLid() throws Exception {
        String id = oracle().call(BaileysOracle.request("baileysSendText").put("id", session)
                .put("to", group).put("text", "Oi grupo, do Baileys")).path("messageId").asText();

        Message message = await(() -> events.all(CompanionEvent.MessageReceived.class), list -> !list.isEmpty())
                .getFirst().exchanged().message();
        assertThat(message.id().value()).isEqualTo(id);
        assertThat(message.chatJid().toString()).isEqualTo(group);
        assertThat(message.body()).isEqualTo(new Message.Text("Oi grupo, do Baileys"));
        assertThat(message.fromMe()).isFalse();
        assertThat(message.sender().jid().map(Object::toString)).contains(BRUNO + "@s.whatsapp.net");
        assertThat(message.sender().lid().map(Object::toString))
                .contains(sandbox.phones().phone(BRUNO).orElseThrow().lid() + "@lid");
        assertThat(message.sender().pushName()).contains("Bruno");
        assertThat(await(() -> sandbox.phones().received(CARLA), list -> !list.isEmpty()))
                .extracting(ReceivedMessage::text).containsExactly("Oi grupo, do Baileys");

        String next = oracle().call(BaileysOracle.request("baileysSendText").put("id", session)
                .put("to", group).put("text", "E outra")).path("messageId").asText();
        Message second = await(() -> events.all(CompanionEvent.MessageReceived.class), list -> list.size() == 2)
                .get(1).exchanged().message();
        assertThat(second.id().value()).isEqualTo(next);
        assertThat(second.body()).isEqualTo(new Message.Text("E outra"));
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
