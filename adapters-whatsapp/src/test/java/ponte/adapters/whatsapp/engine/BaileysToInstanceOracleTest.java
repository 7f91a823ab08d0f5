package ponte.adapters.whatsapp.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
import ponte.adapters.whatsapp.sandbox.SandboxFixture;
import ponte.adapters.whatsapp.sandbox.SandboxServer;
import ponte.adapters.whatsapp.sandbox.store.sql.SqlSandboxStore;
import ponte.adapters.whatsapp.store.DeviceStores;
import ponte.adapters.whatsapp.store.TestCipher;
import ponte.adapters.whatsapp.store.sql.SqlDeviceStore;
import ponte.application.port.out.MessagingPort;
import ponte.domain.message.Jid;
import ponte.domain.message.MessageId;
import ponte.domain.message.MessageStatus;
import ponte.domain.proxy.EffectiveProxy;

/**
 * An unmodified Baileys client, linked to phone B, sends text to phone A's number; our instance, linked to A,
 * receives it through the sandbox: Baileys' own usync, prekey fetch of our device and pkmsg are decrypted by our
 * Signal and handed on as one {@code message.exchange} event.
 */
class BaileysToInstanceOracleTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int TIMEOUT_MS = 20_000;
    private static final String ANA = "5511955550141";
    private static final String BRUNO = "5511955550142";

    private final RecordedReports reports = new RecordedReports();
    private final String session = UUID.randomUUID().toString();
    private SandboxServer sandbox;
    private SqlSandboxStore sandboxStore;
    private WhatsAppEngine engine;
    private final UUID id = UUID.randomUUID();

    @BeforeEach
    void linkBoth() throws Exception {
        var database = SandboxFixture.database();
        var store = SqlDeviceStore.migrateAndOpen(database, new TestCipher(), Clock.systemUTC());
        sandboxStore = SqlSandboxStore.migrateAndOpen(database);
        sandbox = SandboxFixture.start(sandboxStore, SandboxFixture.fastOptions());
        sandbox.phones().create(ANA, "Ana");
        sandbox.phones().create(BRUNO, "Bruno");
        var settings = SandboxFixture.fastClientSettings(sandbox);
        engine = new WhatsAppEngine(settings, DeviceStores.of(store), () -> reports, () -> reports, () -> reports,
                Clock.systemUTC(), new SecureRandom());
        int before = reports.size();
        engine.start(id, EffectiveProxy.NONE);
        var qr = (String) reports.await("qr", before, WAIT).detail();
        sandbox.phones().scan(ANA, qr).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        reports.await("connected", before, WAIT);
        int device = sandbox.phones().devices(ANA).getFirst().device();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (sandboxStore.phones().preKeyCount(ANA, device) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }

        String baileysQr = oracle().call(BaileysOracle.request("baileysStart").put("id", session)
                .put("wsUrl", sandbox.wsUrl().toString())
                .put("rootPublicKey", HexFormat.of().formatHex(sandbox.trustRoot().publicKey()))
                .put("timeoutMs", TIMEOUT_MS)).path("qr").asText();
        sandbox.phones().scan(BRUNO, baileysQr).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        oracle().call(BaileysOracle.request("baileysAwaitOpen").put("id", session).put("timeoutMs", TIMEOUT_MS));
    }

    @AfterEach
    void stop() throws Exception {
        oracle().call(BaileysOracle.request("baileysEnd").put("id", session));
        engine.close();
        sandbox.close();
    }

    @Test
    void baileysTextToOurNumberIsOneReceivedEventWithTheSendersNames() throws Exception {
        int before = reports.size();

        String messageId = oracle().call(BaileysOracle.request("baileysSendText").put("id", session)
                .put("to", ANA + "@s.whatsapp.net").put("text", "Olá Ana, do Baileys")).path("messageId").asText();

        @SuppressWarnings("unchecked")
        var data = (Map<String, Object>) reports.await("received(message.exchange)", before, WAIT).detail();
        assertThat(data).containsEntry("type", "received");
        @SuppressWarnings("unchecked")
        var message = (Map<String, Object>) data.get("message");
        String brunoLid = sandbox.phones().phone(BRUNO).orElseThrow().lid() + "@lid";
        assertThat(message).containsEntry("id", messageId).containsEntry("text", "Olá Ana, do Baileys")
                .containsEntry("from_me", false)
                .containsEntry("sender", Map.of("jid", BRUNO + "@s.whatsapp.net", "lid", brunoLid,
                        "push_name", "Bruno"));
        assertThat(message.get("chat_jid")).isIn(BRUNO + "@s.whatsapp.net", brunoLid);
        Thread.sleep(300);
        assertThat(reports.received()).hasSize(1);
    }

    @Test
    void ourReplyWithAMentionReachesBaileysWithItsQuoteAndMentionsAndItsDeliveryReceiptComesBack() throws Exception {
        int before = reports.size();
        String asked = oracle().call(BaileysOracle.request("baileysSendText").put("id", session)
                .put("to", ANA + "@s.whatsapp.net").put("text", "Vamos amanhã?")).path("messageId").asText();
        reports.await("received(message.exchange)", before, WAIT);
        byte[] bytes = new byte[MessageId.RANDOM_BYTES];
        new SecureRandom().nextBytes(bytes);
        var reply = new MessagingPort.WireMessage(MessageId.generate(Instant.now(), Jid.phone(ANA), bytes),
                Jid.phone(BRUNO), "Sim! @" + BRUNO, true, Optional.of(new MessagingPort.Quote(new MessageId(asked),
                        Jid.phone(BRUNO), Optional.of("Vamos amanhã?"))), List.of(Jid.phone(BRUNO)));

        engine.send(id, reply).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        JsonNode received = oracle().call(BaileysOracle.request("baileysMessages").put("id", session)
                .put("count", 1).put("timeoutMs", TIMEOUT_MS)).path("messages").get(0);
        assertThat(received.path("id").asText()).isEqualTo(reply.id().value());
        assertThat(received.path("text").asText()).isEqualTo("Sim! @" + BRUNO);
        assertThat(received.path("quotedId").asText()).isEqualTo(asked);
        assertThat(received.path("quotedParticipant").asText()).isEqualTo(BRUNO + "@s.whatsapp.net");
        assertThat(received.path("quotedText").asText()).isEqualTo("Vamos amanhã?");
        assertThat(received.path("mentions").get(0).asText()).isEqualTo(BRUNO + "@s.whatsapp.net");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (reports.receipts().stream().noneMatch(r -> r.ids().contains(reply.id())
                && r.status() == MessageStatus.DELIVERED) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(reports.receipts()).anySatisfy(receipt -> {
            assertThat(receipt.ids()).contains(reply.id());
            assertThat(receipt.status()).isEqualTo(MessageStatus.DELIVERED);
        });
    }

    @Test
    void ourReadReceiptMarksBaileysMessageRead() throws Exception {
        int before = reports.size();
        String messageId = oracle().call(BaileysOracle.request("baileysSendText").put("id", session)
                .put("to", ANA + "@s.whatsapp.net").put("text", "Leu?")).path("messageId").asText();
        @SuppressWarnings("unchecked")
        var data = (Map<String, Object>) reports.await("received(message.exchange)", before, WAIT).detail();
        @SuppressWarnings("unchecked")
        var chat = (String) ((Map<String, Object>) data.get("message")).get("chat_jid");

        engine.markRead(id, Jid.parse(chat).orElseThrow(), Optional.empty(), List.of(new MessageId(messageId)));

        JsonNode receipts = oracle().call(BaileysOracle.request("baileysAwaitReceipt").put("id", session)
                .put("messageId", messageId).put("kind", "read").put("timeoutMs", TIMEOUT_MS)).path("receipts");
        assertThat(receipts.isEmpty()).isFalse();
    }

    private static BaileysOracle oracle() {
        return BaileysOracle.get();
    }
}
