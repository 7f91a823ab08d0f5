package ponte.adapters.whatsapp.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.oracle.BaileysOracle;
import ponte.adapters.whatsapp.sandbox.store.LinkedDevice;
import ponte.adapters.whatsapp.sandbox.store.SandboxStore;
import ponte.adapters.whatsapp.sandbox.store.VirtualPhone;
import ponte.adapters.whatsapp.sandbox.store.sql.SqlSandboxStore;

/**
 * The sandbox carries 1:1 text between an unmodified Baileys client, linked to virtual phone A, and virtual phone
 * B, which is a Signal party of its own: both directions decrypt to the text sent, delivery and read receipts come
 * back, A's phone gets its companion's message as a DeviceSentMessage, and a message sent while Baileys is offline
 * reaches it when it reconnects. Baileys' own usync, prekey fetch and encryption run against the sandbox unchanged.
 */
class BaileysMessagingOracleTest {

    private static final int TIMEOUT_MS = 20_000;
    private static final String ANA = "5511955550001";
    private static final String BRUNO = "5511955550002";
    private final String session = UUID.randomUUID().toString();
    private DataSource database;
    private SandboxStore store;
    private SandboxServer sandbox;
    private VirtualPhone bruno;
    private LinkedDevice baileys;

    @BeforeEach
    void linkBaileysToAna() throws Exception {
        database = SandboxFixture.database();
        store = SqlSandboxStore.migrateAndOpen(database);
        sandbox = SandboxFixture.start(store, SandboxFixture.fastOptions());
        sandbox.phones().create(ANA, "Ana");
        bruno = sandbox.phones().create(BRUNO, "Bruno");
        String qr = oracle().call(BaileysOracle.request("baileysStart").put("id", session)
                .put("wsUrl", sandbox.wsUrl().toString())
                .put("rootPublicKey", HexFormat.of().formatHex(sandbox.trustRoot().publicKey()))
                .put("timeoutMs", TIMEOUT_MS)).path("qr").asText();
        baileys = sandbox.phones().scan(ANA, qr).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        oracle().call(BaileysOracle.request("baileysAwaitOpen").put("id", session).put("timeoutMs", TIMEOUT_MS));
    }

    @AfterEach
    void stop() throws Exception {
        oracle().call(BaileysOracle.request("baileysEnd").put("id", session));
        sandbox.close();
    }

    @Test
    void aPhonesTextReachesBaileysDecryptedWithItsSenderAndIsReceipted() throws Exception {
        String id = sandbox.phones().sendText(BRUNO, ANA, "Oi Ana, tudo bem?");

        JsonNode message = messages(1).get(0);
        assertThat(message.path("id").asText()).isEqualTo(id);
        assertThat(message.path("text").asText()).isEqualTo("Oi Ana, tudo bem?");
        assertThat(message.path("remoteJid").asText()).isEqualTo(BRUNO + "@s.whatsapp.net");
        assertThat(message.path("remoteJidAlt").asText()).isEqualTo(bruno.lid() + "@lid");
        assertThat(message.path("pushName").asText()).isEqualTo("Bruno");
        List<SeenReceipt> receipts = awaitValue(() -> sandbox.phones().receipts(BRUNO),
                seen -> seen.stream().anyMatch(r -> r.id().equals(id) && r.from().equals(baileys.jid())));
        assertThat(receipts).filteredOn(r -> r.from().equals(baileys.jid())).allMatch(SeenReceipt::delivery);
        // Ana's phone is one of her devices too, and decrypts its own copy
        assertThat(awaitValue(() -> sandbox.phones().received(ANA), list -> !list.isEmpty()))
                .extracting(ReceivedMessage::text).containsExactly("Oi Ana, tudo bem?");
    }

    @Test
    void baileysTextReachesThePhoneDecryptedAndItsReceiptsReachBaileys() throws Exception {
        String id = oracle().call(BaileysOracle.request("baileysSendText").put("id", session)
                .put("to", BRUNO + "@s.whatsapp.net").put("text", "Olá Bruno, do Baileys")).path("messageId").asText();

        List<ReceivedMessage> atBruno = awaitValue(() -> sandbox.phones().received(BRUNO), list -> !list.isEmpty());
        assertThat(atBruno).singleElement().satisfies(received -> {
            assertThat(received.id()).isEqualTo(id);
            assertThat(received.text()).isEqualTo("Olá Bruno, do Baileys");
            assertThat(received.from()).isEqualTo(ANA + "@s.whatsapp.net");
            assertThat(received.fromDevice()).isEqualTo(baileys.jid());
            assertThat(received.sentByMe()).isFalse();
        });
        oracle().call(BaileysOracle.request("baileysAwaitReceipt").put("id", session).put("messageId", id)
                .put("kind", "delivery").put("timeoutMs", TIMEOUT_MS));

        sandbox.phones().markRead(BRUNO, ANA, List.of(id));
        oracle().call(BaileysOracle.request("baileysAwaitReceipt").put("id", session).put("messageId", id)
                .put("kind", "read").put("timeoutMs", TIMEOUT_MS));
        // Ana's phone gets what her companion sent, as a DeviceSentMessage for the chat with Bruno
        assertThat(awaitValue(() -> sandbox.phones().received(ANA), list -> !list.isEmpty()))
                .singleElement().satisfies(copy -> {
                    assertThat(copy.sentByMe()).isTrue();
                    assertThat(copy.chat()).isEqualTo(BRUNO + "@s.whatsapp.net");
                    assertThat(copy.text()).isEqualTo("Olá Bruno, do Baileys");
                });
    }

    @Test
    void aTextSentWhileBaileysIsOfflineArrivesWhenItReconnects() throws Exception {
        oracle().call(BaileysOracle.request("baileysDisconnect").put("id", session));
        awaitValue(() -> sandbox.phones().devices(ANA), devices -> true);
        String id = sandbox.phones().sendText(BRUNO, ANA, "Enquanto você estava fora");
        Thread.sleep(300);
        assertThat(sandbox.phones().receipts(BRUNO)).noneMatch(r -> r.from().equals(baileys.jid()));

        oracle().call(BaileysOracle.request("baileysReconnect").put("id", session).put("timeoutMs", TIMEOUT_MS));

        JsonNode message = messages(1).get(0);
        assertThat(message.path("id").asText()).isEqualTo(id);
        assertThat(message.path("text").asText()).isEqualTo("Enquanto você estava fora");
        awaitValue(() -> sandbox.phones().receipts(BRUNO),
                seen -> seen.stream().anyMatch(r -> r.id().equals(id) && r.from().equals(baileys.jid())));
    }

    @Test
    void aQueuedMessageAndThePhonesSessionsSurviveASandboxRestart() throws Exception {
        sendFromBaileys("antes do reinício");
        awaitValue(() -> sandbox.phones().received(BRUNO), list -> list.size() == 1);
        oracle().call(BaileysOracle.request("baileysDisconnect").put("id", session));
        String queued = sandbox.phones().sendText(BRUNO, ANA, "guardada");
        sandbox.close();
        sandbox = SandboxFixture.start(store, SandboxFixture.fastOptions());

        oracle().call(BaileysOracle.request("baileysReconnect").put("id", session)
                .put("wsUrl", sandbox.wsUrl().toString()).put("timeoutMs", TIMEOUT_MS));
        JsonNode message = messages(1).get(0);
        String after = sendFromBaileys("depois do reinício");

        assertThat(message.path("id").asText()).isEqualTo(queued);
        assertThat(message.path("text").asText()).isEqualTo("guardada");
        // Bruno's phone kept its session with Baileys' device: Baileys' next message decrypts without a new pkmsg
        assertThat(awaitValue(() -> sandbox.phones().received(BRUNO), list -> !list.isEmpty()))
                .singleElement().satisfies(m -> {
                    assertThat(m.id()).isEqualTo(after);
                    assertThat(m.text()).isEqualTo("depois do reinício");
                });
    }

    @Test
    void thePhoneAnswersARetryReceiptByEncryptingTheMessageAgainForThatDevice() throws Exception {
        String id = sandbox.phones().sendText(BRUNO, ANA, "de novo");
        JsonNode first = messages(1).get(0);

        Node retry = Node.withChildren("receipt", Node.attrs("id", id, "type", "retry", "to", BRUNO + "@s.whatsapp.net"),
                List.of(Node.of("retry", Node.attrs("count", "1", "id", id, "t", "1796011382", "v", "1")),
                        Node.withBytes("registration", Map.of(), new byte[] {0, 0, 0, 1})));
        assertThat(query(retry).tag()).isEqualTo("ack");

        List<JsonNode> both = messages(2);
        assertThat(first.path("text").asText()).isEqualTo("de novo");
        assertThat(both.get(1).path("id").asText()).isEqualTo(id);
        assertThat(both.get(1).path("text").asText()).isEqualTo("de novo");
    }

    @Test
    void aPhoneThatLostItsSessionAsksForRetriesUntilBaileysSendsANewSession() throws Exception {
        sendFromBaileys("antes");
        awaitValue(() -> sandbox.phones().received(BRUNO), list -> list.size() == 1);
        try (var connection = database.getConnection(); var statement = connection.prepareStatement(
                "delete from whatsapp.sandbox_phone_signal where phone = ? and kind = 'session'")) {
            statement.setString(1, BRUNO);
            assertThat(statement.executeUpdate()).isPositive();
        }

        String lost = sendFromBaileys("perdida e recuperada");

        // the first retry (no keys) fails again on Baileys' old session; the second carries Bruno's keys
        assertThat(awaitValue(() -> sandbox.phones().received(BRUNO), list -> list.size() == 2).get(1))
                .satisfies(m -> {
                    assertThat(m.id()).isEqualTo(lost);
                    assertThat(m.text()).isEqualTo("perdida e recuperada");
                });
    }

    @Test
    void theConversationContinuesBothWaysOnEstablishedSessions() throws Exception {
        sandbox.phones().sendText(BRUNO, ANA, "primeira");
        messages(1);
        String reply = oracle().call(BaileysOracle.request("baileysSendText").put("id", session)
                .put("to", BRUNO + "@s.whatsapp.net").put("text", "resposta")).path("messageId").asText();
        awaitValue(() -> sandbox.phones().received(BRUNO), list -> list.size() == 1);
        sandbox.phones().sendText(BRUNO, ANA, "segunda");

        assertThat(messages(2)).extracting(m -> m.path("text").asText()).containsExactly("primeira", "segunda");
        assertThat(sandbox.phones().received(BRUNO)).extracting(ReceivedMessage::id).containsExactly(reply);
    }

    @Test
    void theSandboxRefusesMessageStanzasWhatsAppRefusesWith479() throws Exception {
        sandbox.phones().create("5511955550003", "Carla");
        Node enc = Node.withBytes("enc", Node.attrs("v", "2", "type", "msg"), new byte[] {1, 2, 3});
        Node toBruno = Node.withChildren("participants", Map.of(), List.of(Node.withChildren("to",
                Node.attrs("jid", BRUNO + "@s.whatsapp.net"), List.of(enc))));
        Node toCarla = Node.withChildren("participants", Map.of(), List.of(Node.withChildren("to",
                Node.attrs("jid", "5511955550003@s.whatsapp.net"), List.of(enc))));

        // no type; a device of a third account; a number the network does not know; nothing addressed at all
        assertThat(ack(Node.withChildren("message", Node.attrs("id", "M1", "to", BRUNO + "@s.whatsapp.net"),
                List.of(toBruno)))).isEqualTo("479");
        assertThat(ack(Node.withChildren("message", Node.attrs("id", "M2", "to", BRUNO + "@s.whatsapp.net",
                "type", "text"), List.of(toCarla)))).isEqualTo("479");
        assertThat(ack(Node.withChildren("message", Node.attrs("id", "M3", "to", "5511900000000@s.whatsapp.net",
                "type", "text"), List.of(toBruno)))).isEqualTo("479");
        assertThat(ack(Node.of("message", Node.attrs("id", "M4", "to", BRUNO + "@s.whatsapp.net", "type", "text"))))
                .isEqualTo("479");
        // the well-formed one is accepted (Bruno's phone cannot decrypt these bytes, and says so by its ack)
        assertThat(ack(Node.withChildren("message", Node.attrs("id", "M5", "to", BRUNO + "@s.whatsapp.net",
                "type", "text"), List.of(toBruno)))).isEmpty();
        // one addressing form per stanza: a LID chat names its devices by LID, a number chat by number
        String brunoLid = sandbox.phones().phone(BRUNO).orElseThrow().lid() + "@lid";
        Node toBrunosLid = Node.withChildren("participants", Map.of(), List.of(Node.withChildren("to",
                Node.attrs("jid", brunoLid), List.of(enc))));
        assertThat(ack(Node.withChildren("message", Node.attrs("id", "M6", "to", brunoLid, "type", "text"),
                List.of(toBruno)))).isEqualTo("479");
        assertThat(ack(Node.withChildren("message", Node.attrs("id", "M7", "to", BRUNO + "@s.whatsapp.net",
                "type", "text"), List.of(toBrunosLid)))).isEqualTo("479");
        assertThat(ack(Node.withChildren("message", Node.attrs("id", "M8", "to", brunoLid, "type", "text"),
                List.of(toBrunosLid)))).isEmpty();
        assertThat(sandbox.phones().received(BRUNO)).isEmpty();
    }

    @Test
    void aCompanionLinkedLaterIsAnnouncedAndReceivesTheNextMessage() throws Exception {
        String first = sendFromBaileys("antes");
        awaitValue(() -> sandbox.phones().received(BRUNO), list -> list.size() == 1);
        String second = UUID.randomUUID().toString();
        try {
            String qr = oracle().call(BaileysOracle.request("baileysStart").put("id", second)
                    .put("wsUrl", sandbox.wsUrl().toString())
                    .put("rootPublicKey", HexFormat.of().formatHex(sandbox.trustRoot().publicKey()))
                    .put("timeoutMs", TIMEOUT_MS)).path("qr").asText();
            sandbox.phones().scan(BRUNO, qr).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            oracle().call(BaileysOracle.request("baileysAwaitOpen").put("id", second).put("timeoutMs", TIMEOUT_MS));
            Thread.sleep(300);

            // Ana's Baileys cached Bruno's device list; only the devices notification makes it ask again
            String later = sendFromBaileys("depois");

            JsonNode atNewCompanion = oracle().call(BaileysOracle.request("baileysMessages").put("id", second)
                    .put("count", 1).put("timeoutMs", TIMEOUT_MS)).path("messages").get(0);
            assertThat(atNewCompanion.path("id").asText()).isEqualTo(later);
            assertThat(atNewCompanion.path("text").asText()).isEqualTo("depois");
            assertThat(awaitValue(() -> sandbox.phones().received(BRUNO), list -> list.size() == 2))
                    .extracting(ReceivedMessage::id).containsExactly(first, later);
        } finally {
            oracle().call(BaileysOracle.request("baileysEnd").put("id", second));
        }
    }

    private String sendFromBaileys(String text) {
        return oracle().call(BaileysOracle.request("baileysSendText").put("id", session)
                .put("to", BRUNO + "@s.whatsapp.net").put("text", text)).path("messageId").asText();
    }

    @Test
    void baileysContactCheckFindsTheNetworksNumbersOnly() {
        var request = BaileysOracle.request("baileysOnWhatsApp").put("id", session);
        request.putArray("numbers").add("+" + BRUNO).add("5511900000000");

        JsonNode results = oracle().call(request).path("results");

        assertThat(results).hasSize(1);
        assertThat(results.get(0).path("jid").asText()).isEqualTo(BRUNO + "@s.whatsapp.net");
        assertThat(results.get(0).path("exists").asBoolean()).isTrue();
    }

    @Test
    void trustedContactTokensAreIssuedAndMalformedIssuancesRefused() {
        Node issue = Node.withChildren("iq", Node.attrs("to", "s.whatsapp.net", "type", "set", "xmlns", "privacy"),
                List.of(Node.withChildren("tokens", Map.of(), List.of(Node.of("token", Node.attrs(
                        "jid", BRUNO + "@s.whatsapp.net", "t", "1796011382", "type", "trusted_contact"))))));
        Node untyped = Node.withChildren("iq", Node.attrs("to", "s.whatsapp.net", "type", "set", "xmlns", "privacy"),
                List.of(Node.withChildren("tokens", Map.of(), List.of(Node.of("token", Node.attrs(
                        "jid", BRUNO + "@s.whatsapp.net"))))));

        assertThat(query(issue).attributeOr("type", "")).isEqualTo("result");
        assertThatThrownBy(() -> query(untyped)).isInstanceOf(BaileysOracle.OracleException.class)
                .hasMessageContaining("bad-request");
    }

    private Node query(Node node) {
        var request = BaileysOracle.request("baileysQuery").put("id", session).put("timeoutMs", TIMEOUT_MS);
        request.set("node", BaileysOracle.toJson(node));
        return BaileysOracle.fromJson(oracle().call(request).path("node"));
    }

    /** The {@code error} of the sandbox's ack to a raw message stanza Baileys sends; empty when accepted. */
    private String ack(Node message) {
        Node answer = query(message);
        assertThat(answer.tag()).isEqualTo("ack");
        assertThat(answer.attributeOr("class", "")).isEqualTo("message");
        return answer.attributeOr("error", "");
    }

    private List<JsonNode> messages(int count) {
        JsonNode answer = oracle().call(BaileysOracle.request("baileysMessages").put("id", session)
                .put("count", count).put("timeoutMs", TIMEOUT_MS));
        List<JsonNode> list = new ArrayList<>();
        answer.path("messages").forEach(list::add);
        return list;
    }

    private static <T> T awaitValue(Supplier<T> read, Predicate<T> done) throws InterruptedException {
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        T value = read.get();
        while (!done.test(value) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            value = read.get();
        }
        assertThat(done.test(value)).as("awaited value: %s", value).isTrue();
        return value;
    }

    private static BaileysOracle oracle() {
        return BaileysOracle.get();
    }
}
