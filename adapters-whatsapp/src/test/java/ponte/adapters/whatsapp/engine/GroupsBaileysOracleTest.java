package ponte.adapters.whatsapp.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.oracle.BaileysOracle;
import ponte.adapters.whatsapp.sandbox.ReceivedMessage;
import ponte.adapters.whatsapp.sandbox.SandboxFixture;
import ponte.adapters.whatsapp.sandbox.SandboxServer;
import ponte.adapters.whatsapp.sandbox.store.sql.SqlSandboxStore;
import ponte.adapters.whatsapp.store.DeviceStores;
import ponte.adapters.whatsapp.store.TestCipher;
import ponte.adapters.whatsapp.store.sql.SqlDeviceStore;
import ponte.application.port.out.MessagingPort;
import ponte.domain.message.Jid;
import ponte.domain.message.MessageId;
import ponte.domain.proxy.EffectiveProxy;

/**
 * The three-account group through the engine: our instance (linked to phone Ana), an unmodified Baileys
 * client (linked to phone Bruno) and Carla's phone, in the group Carla created. The engine answers the core's
 * group-membership question from the group's metadata, sends group text through {@link MessagingPort#send} that
 * Baileys and Carla's phone decrypt, and reports Baileys' group text as one {@code message.exchange} event with the
 * text, the group as chat and the sender's phone number, LID and push name.
 */
class GroupsBaileysOracleTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int TIMEOUT_MS = 20_000;
    private static final String ANA = "5511955554001";
    private static final String BRUNO = "5511955554002";
    private static final String CARLA = "5511955554003";

    private final RecordedReports reports = new RecordedReports();
    private final String session = UUID.randomUUID().toString();
    private final UUID id = UUID.randomUUID();
    private final SecureRandom random = new SecureRandom();
    private SandboxServer sandbox;
    private WhatsAppEngine engine;
    private String group;

    @BeforeEach
    void linkBothAndMakeTheGroup() throws Exception {
        var database = SandboxFixture.database();
        var store = SqlDeviceStore.migrateAndOpen(database, new TestCipher(), Clock.systemUTC());
        var sandboxStore = SqlSandboxStore.migrateAndOpen(database);
        sandbox = SandboxFixture.start(sandboxStore, SandboxFixture.fastOptions());
        sandbox.phones().create(ANA, "Ana");
        sandbox.phones().create(BRUNO, "Bruno");
        sandbox.phones().create(CARLA, "Carla");
        var settings = SandboxFixture.fastClientSettings(sandbox);
        engine = new WhatsAppEngine(settings, DeviceStores.of(store), () -> reports, () -> reports, () -> reports,
                Clock.systemUTC(), random);
        int before = reports.size();
        engine.start(id, EffectiveProxy.NONE);
        var qr = (String) reports.await("qr", before, WAIT).detail();
        sandbox.phones().scan(ANA, qr).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        reports.await("connected", before, WAIT);
        int device = sandbox.phones().devices(ANA).getFirst().device();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while ((sandboxStore.phones().preKeyCount(ANA, device) == 0 || !engine.isOnline(id))
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }

        String baileysQr = oracle().call(BaileysOracle.request("baileysStart").put("id", session)
                .put("wsUrl", sandbox.wsUrl().toString())
                .put("rootPublicKey", HexFormat.of().formatHex(sandbox.trustRoot().publicKey()))
                .put("timeoutMs", TIMEOUT_MS)).path("qr").asText();
        sandbox.phones().scan(BRUNO, baileysQr).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        oracle().call(BaileysOracle.request("baileysAwaitOpen").put("id", session).put("timeoutMs", TIMEOUT_MS));
        group = sandbox.phones().createGroup(CARLA, "Três contas", List.of(ANA, BRUNO));
    }

    @AfterEach
    void stop() throws Exception {
        oracle().call(BaileysOracle.request("baileysEnd").put("id", session));
        engine.close();
        sandbox.close();
    }

    @Test
    void theGroupsMembersComeFromItsMetadataAndAGroupWeAreNotInHasNone() {
        Optional<MessagingPort.GroupMembers> members = engine.group(id, groupJid(group), WAIT);

        assertThat(members).hasValueSatisfying(found -> {
            assertThat(found.subject()).isEqualTo("Três contas");
            assertThat(found.participants()).containsExactly(Jid.phone(CARLA), Jid.phone(ANA), Jid.phone(BRUNO));
        });
        String without = sandbox.phones().createGroup(CARLA, "Sem Ana", List.of(BRUNO));
        assertThat(engine.group(id, groupJid(without), WAIT)).isEmpty();
        assertThatThrownBy(() -> engine.send(id, text(groupJid(without), "posso?")).join())
                .hasCauseInstanceOf(MessagingPort.Refused.class);
    }

    @Test
    void ourGroupTextGoesOutThroughTheEngineAndBaileysAndTheThirdPhoneDecryptIt() throws Exception {
        var message = text(groupJid(group), "Olá, grupo, da Ponte");

        Instant acked = engine.send(id, message).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(acked).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
        // Baileys' first upsert is the group's creation (a stub of the w:gp2 notification), then our text
        JsonNode atBaileys = oracle().call(BaileysOracle.request("baileysMessages").put("id", session)
                .put("count", 2).put("timeoutMs", TIMEOUT_MS)).path("messages").get(1);
        assertThat(atBaileys.path("id").asText()).isEqualTo(message.id().value());
        assertThat(atBaileys.path("text").asText()).isEqualTo("Olá, grupo, da Ponte");
        assertThat(atBaileys.path("remoteJid").asText()).isEqualTo(group);
        assertThat(atBaileys.path("participant").asText()).startsWith(ANA);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (sandbox.phones().received(CARLA).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(sandbox.phones().received(CARLA)).singleElement().satisfies(received -> {
            assertThat(received.id()).isEqualTo(message.id().value());
            assertThat(received.text()).isEqualTo("Olá, grupo, da Ponte");
            assertThat(received.chat()).isEqualTo(group);
        });
    }

    @Test
    void baileysGroupTextIsOneReceivedEventWithTheGroupAsChatAndTheSendersNames() throws Exception {
        int before = reports.size();

        String messageId = oracle().call(BaileysOracle.request("baileysSendText").put("id", session)
                .put("to", group).put("text", "Oi grupo, do Baileys")).path("messageId").asText();

        @SuppressWarnings("unchecked")
        var data = (Map<String, Object>) reports.await("received(message.exchange)", before, WAIT).detail();
        assertThat(data).containsEntry("type", "received");
        @SuppressWarnings("unchecked")
        var message = (Map<String, Object>) data.get("message");
        String brunoLid = sandbox.phones().phone(BRUNO).orElseThrow().lid() + "@lid";
        assertThat(message).containsEntry("id", messageId).containsEntry("text", "Oi grupo, do Baileys")
                .containsEntry("chat_jid", group).containsEntry("from_me", false)
                .containsEntry("sender", Map.of("jid", BRUNO + "@s.whatsapp.net", "lid", brunoLid,
                        "push_name", "Bruno"));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (sandbox.phones().received(CARLA).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(sandbox.phones().received(CARLA)).extracting(ReceivedMessage::text)
                .containsExactly("Oi grupo, do Baileys");
        Thread.sleep(300);
        assertThat(reports.received()).filteredOn(event -> event.get("event").equals("message.exchange"))
                .as("one message.exchange (beside the group.flow of the group's creation)").hasSize(1);
    }

    private MessagingPort.WireMessage text(Jid chat, String text) {
        byte[] bytes = new byte[MessageId.RANDOM_BYTES];
        random.nextBytes(bytes);
        return new MessagingPort.WireMessage(MessageId.generate(Instant.now(), Jid.phone(ANA), bytes), chat, text,
                false, Optional.empty(), List.of());
    }

    private static Jid groupJid(String jid) {
        return Jid.parse(jid).orElseThrow();
    }

    private static BaileysOracle oracle() {
        return BaileysOracle.get();
    }
}
