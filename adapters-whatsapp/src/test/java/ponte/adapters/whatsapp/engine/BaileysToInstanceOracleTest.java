package ponte.adapters.whatsapp.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.oracle.BaileysOracle;
import ponte.adapters.whatsapp.sandbox.SandboxServer;
import ponte.application.port.out.MessagingPort;
import ponte.domain.message.Jid;
import ponte.domain.message.MessageId;
import ponte.domain.message.MessageStatus;

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

    private BaileysPair pair;
    private RecordedReports reports;
    private SandboxServer sandbox;
    private WhatsAppEngine engine;
    private String session;
    private UUID id;

    @BeforeEach
    void linkBoth() throws Exception {
        pair = BaileysPair.link(ANA, BRUNO);
        reports = pair.reports;
        sandbox = pair.sandbox;
        engine = pair.engine;
        session = pair.session;
        id = pair.id;
    }

    @AfterEach
    void stop() throws Exception {
        pair.close();
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
