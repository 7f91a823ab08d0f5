package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static ponte.bootstrap.ErrorEnvelopeTest.assertEnvelope;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Text messaging end to end, as a user sees it: a real gateway, its instance linked to a sandbox phone (Ana) through
 * the real wire client, another sandbox phone (Bruno) as the other side of the chat — a real Signal party that
 * decrypts what it receives — and a real HTTP webhook receiver. Nothing is faked between the API and the phone.
 */
class MessagingEndToEndTest {
    private static final String ADMIN = GatewayFixture.ADMIN_TOKEN;
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String ANA = "5511987652001";
    private static final String BRUNO = "5511987652002";
    private static final String BRUNO_JID = BRUNO + "@s.whatsapp.net";

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass(Map.of("PONTE_WHATSAPP", "sandbox",
            "PONTE_SANDBOX_PORT", "0", "PONTE_WEBHOOK_POLL_MS", "50"));
    private static Http http;
    private static Receiver receiver;
    private static GatewayFixture.Tenant tenant;
    private static GatewayFixture.Instance shop;
    private static String brunoLid;
    private static String base;

    @BeforeAll
    static void linkTheShopToAnasPhone() throws InterruptedException {
        http = gateway.http();
        receiver = Receiver.start();
        tenant = gateway.newTenant("e2e");
        phone(ANA, "Ana");
        brunoLid = phone(BRUNO, "Bruno") + "@lid";
        shop = gateway.newInstance(tenant, "shop");
        base = "/v1/instances/" + shop.id();
        var hook = http.post(base + "/webhooks", tenant.token(), "{\"label\":\"e2e\",\"url\":\"" + receiver.url("/hook")
                + "\",\"events\":[\"message.exchange\",\"message.status\"]}");
        assertThat(hook.status()).as(hook.toString()).isEqualTo(201);
        link(shop, ANA);
    }

    @AfterAll
    static void stopTheReceiver() {
        receiver.close();
    }

    @Test
    void aSentTextReachesThePhoneDecryptedAndReportsSentDeliveredAndRead() throws InterruptedException {
        var send = http.post(base + "/messages/text", tenant.token(),
                "{\"to\": \"+" + BRUNO + "\", \"text\": \"Seu pedido saiu para entrega 🚚\"}");
        assertThat(send.status()).as(send.toString()).isEqualTo(202);
        var accepted = send.json().get("message");
        assertThat(accepted.get("status").asText()).isEqualTo("queued");
        assertThat(accepted.get("to").asText()).isEqualTo(BRUNO);
        assertThat(accepted.get("chat_jid").asText()).isEqualTo(BRUNO_JID);
        assertThat(accepted.get("type").asText()).isEqualTo("text");
        String id = accepted.get("id").asText();

        var atBruno = awaitInbox(BRUNO, "messages", m -> m.get("id").asText().equals(id));
        assertThat(atBruno.get("text").asText()).isEqualTo("Seu pedido saiu para entrega 🚚");
        assertThat(atBruno.get("chat_jid").asText()).isEqualTo(ANA + "@s.whatsapp.net");
        assertThat(atBruno.at("/sender/jid").asText()).isEqualTo(ANA + "@s.whatsapp.net");
        assertThat(atBruno.get("from_me").asBoolean()).isFalse();

        awaitStatus(id, "sent");
        awaitStatus(id, "delivered");
        assertThat(statusEvents(id, "read")).as("nothing was read yet").isEmpty();
        var read = http.post("/v1/sandbox/phones/" + BRUNO + "/read", ADMIN,
                "{\"chat\": \"" + ANA + "\", \"message_ids\": [\"" + id + "\"]}");
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        var readEvent = awaitStatus(id, "read");
        assertThat(readEvent.at("/data/chat_jid").asText()).isEqualTo(BRUNO_JID);
        assertThat(readEvent.get("instance_id").asText()).isEqualTo(shop.id());

        var sentEvent = awaitEvent("message.exchange", e -> e.at("/data/message/id").asText().equals(id));
        assertThat(sentEvent.at("/data/type").asText()).isEqualTo("sent");
        assertThat(sentEvent.at("/data/message/from_me").asBoolean()).isTrue();
        assertThat(sentEvent.at("/data/message/text").asText()).isEqualTo("Seu pedido saiu para entrega 🚚");

        var stored = http.get(base + "/messages/" + id, shop.token());
        assertThat(stored.status()).as(stored.toString()).isEqualTo(200);
        var message = stored.json().get("message");
        assertThat(message.get("id").asText()).isEqualTo(id);
        assertThat(message.get("from_me").asBoolean()).isTrue();
        assertThat(message.get("chat_jid").asText()).isEqualTo(BRUNO_JID);
        assertThat(message.get("text").asText()).isEqualTo("Seu pedido saiu para entrega 🚚");
        assertThat(message.get("status").asText()).isEqualTo("read");
        // sent always comes first, even when the phone's receipt overtakes the server's ack
        assertThat(history(message)).containsExactly("queued", "sent", "delivered", "read");
        assertThat(events("message.status", e -> e.at("/data/message_id").asText().equals(id)))
                .extracting(e -> e.at("/data/status").asText()).containsExactly("sent", "delivered", "read");
        assertThat(message.at("/status_history/0/at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    }

    @Test
    void aTextFromThePhoneArrivesAsOneReceivedEventWithPnAndLidAndCanBeMarkedRead() throws InterruptedException {
        var sent = http.post("/v1/sandbox/phones/" + BRUNO + "/messages", ADMIN,
                "{\"to\": \"" + ANA + "\", \"text\": \"Chegou, obrigado!\"}");
        assertThat(sent.status()).as(sent.toString()).isEqualTo(200);
        String id = sent.json().at("/message/id").asText();

        var event = awaitEvent("message.exchange", e -> e.at("/data/message/id").asText().equals(id));
        assertThat(event.at("/data/type").asText()).isEqualTo("received");
        var message = event.at("/data/message");
        assertThat(message.get("text").asText()).isEqualTo("Chegou, obrigado!");
        assertThat(message.get("from_me").asBoolean()).isFalse();
        assertThat(message.at("/sender/jid").asText()).isEqualTo(BRUNO_JID);
        assertThat(message.at("/sender/lid").asText()).isEqualTo(brunoLid);
        assertThat(message.at("/sender/push_name").asText()).isEqualTo("Bruno");

        var stored = http.get(base + "/messages/" + id, tenant.token()).json().get("message");
        assertThat(stored.get("text").asText()).isEqualTo("Chegou, obrigado!");
        assertThat(stored.get("from_me").asBoolean()).isFalse();
        assertThat(stored.get("status_history")).isEmpty();

        var marked = http.post(base + "/chats/" + stored.get("chat_jid").asText() + "/read", tenant.token(), null);
        assertThat(marked.status()).as(marked.toString()).isEqualTo(200);
        assertThat(marked.json().get("marked").asInt()).isGreaterThanOrEqualTo(1);
        var receipt = awaitInbox(BRUNO, "receipts",
                r -> r.get("message_id").asText().equals(id) && r.get("type").asText().equals("read"));
        assertThat(receipt.get("from").asText()).startsWith(ANA);
        assertThat(http.get(base + "/messages/" + id, tenant.token()).json().at("/message/status").asText())
                .isEqualTo("read");
        assertThat(events("message.exchange", e -> e.at("/data/message/id").asText().equals(id)))
                .as("one WhatsApp message, one received event").hasSize(1);
    }

    @Test
    void aReplyQuotesAMessageOfTheChatWithItsMentionsAndAnUnknownOneIsRefused() throws InterruptedException {
        var asked = http.post("/v1/sandbox/phones/" + BRUNO + "/messages", ADMIN,
                "{\"to\": \"" + ANA + "\", \"text\": \"Tem em azul?\"}");
        String question = asked.json().at("/message/id").asText();
        awaitEvent("message.exchange", e -> e.at("/data/message/id").asText().equals(question));

        var reply = http.post(base + "/messages/text", tenant.token(), "{\"to\": \"" + BRUNO
                + "\", \"text\": \"Temos sim, @" + BRUNO + "!\", \"reply_to\": \"" + question
                + "\", \"mentions\": [\"" + BRUNO + "\"], \"link_preview\": false}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        String id = reply.json().at("/message/id").asText();
        assertThat(awaitInbox(BRUNO, "messages", m -> m.get("id").asText().equals(id)).get("text").asText())
                .isEqualTo("Temos sim, @" + BRUNO + "!");
        var stored = http.get(base + "/messages/" + id, tenant.token()).json().get("message");
        assertThat(stored.at("/quoted/id").asText()).isEqualTo(question);
        assertThat(stored.at("/quoted/sender").asText()).isEqualTo(BRUNO_JID);
        assertThat(stored.get("mentions")).extracting(JsonNode::asText).containsExactly(BRUNO_JID);

        var unknown = http.post(base + "/messages/text", tenant.token(), "{\"to\": \"" + BRUNO
                + "\", \"text\": \"?\", \"reply_to\": \"3EB0FFFFFFFFFFFFFFFFFF\"}");
        assertEnvelope(unknown, 400, "VALIDATION_ERROR");
        assertThat(unknown.json().at("/details/0/field").asText()).isEqualTo("reply_to");
    }

    @Test
    void theSameIdempotencyKeyTwiceIsOneMessageTheRecipientGetsOnce() throws InterruptedException {
        var body = "{\"to\": \"" + BRUNO + "\", \"text\": \"Pedido 4711 confirmado\", \"idempotency_key\": \"order-4711\"}";
        var first = http.post(base + "/messages/text", tenant.token(), body);
        var second = http.post(base + "/messages/text", tenant.token(), body);
        assertThat(first.status()).as(first.toString()).isEqualTo(202);
        assertThat(second.status()).as(second.toString()).isEqualTo(202);
        String id = first.json().at("/message/id").asText();
        assertThat(second.json().at("/message/id").asText()).isEqualTo(id);

        // sends leave in order per chat: once a later message arrived, a second copy would have too
        var later = http.post(base + "/messages/text", tenant.token(), "{\"to\": \"" + BRUNO
                + "\", \"text\": \"depois do 4711\"}").json().at("/message/id").asText();
        awaitInbox(BRUNO, "messages", m -> m.get("id").asText().equals(later));
        assertThat(inboxEntries(BRUNO, "messages", m -> m.get("text").asText().equals("Pedido 4711 confirmado")))
                .hasSize(1).allMatch(m -> m.get("id").asText().equals(id));
    }

    @Test
    void waitingForTheAckAnswers201Sent() {
        var send = http.post(base + "/messages/text?wait=true", tenant.token(),
                "{\"to\": \"" + BRUNO_JID + "\", \"text\": \"Com confirmação\"}");
        assertThat(send.status()).as(send.toString()).isEqualTo(201);
        assertThat(send.json().at("/message/status").asText()).isIn("sent", "delivered", "read");
        assertThat(send.json().at("/message/chat_jid").asText()).isEqualTo(BRUNO_JID);
    }

    @Test
    void aNumberNotOnWhatsAppIsRefusedAndNothingIsQueued() throws Exception {
        var send = http.post(base + "/messages/text", tenant.token(),
                "{\"to\": \"5511900009999\", \"text\": \"Alguém aí?\"}");
        assertEnvelope(send, 400, "VALIDATION_ERROR");
        assertThat(send.json().at("/details/0/field").asText()).isEqualTo("to");
        assertThat(send.json().at("/details/0/problem").asText()).contains("not on WhatsApp");
        var known = http.post(base + "/messages/text", tenant.token(), "{\"to\": \"" + BRUNO
                + "\", \"text\": \"Alguém aí? (para quem existe)\"}");
        assertThat(known.status()).as(known.toString()).isEqualTo(202);
        assertThat(rows("select count(*) from outgoing_queue where message_id = '"
                + known.json().at("/message/id").asText() + "'")).as("the query sees what is queued").isOne();
        assertThat(rows("select count(*) from messages where chat_jid like '5511900009999%'")).isZero();
        assertThat(rows("select count(*) from outgoing_queue where chat_jid like '5511900009999%'")).isZero();
        Thread.sleep(500);
        assertThat(events("message.exchange", e -> e.at("/data/message/text").asText().equals("Alguém aí?")))
                .isEmpty();
    }

    @Test
    void contactsCheckSaysWhichNumbersAreOnWhatsAppWithTheirJidAndLid() {
        var check = http.post(base + "/contacts/check", tenant.token(),
                "{\"numbers\": [\"" + BRUNO + "\", \"+55 11 98765-2001\", \"5511900009999\"]}");
        assertThat(check.status()).as(check.toString()).isEqualTo(200);
        var data = check.json().get("data");
        assertThat(data).hasSize(3);
        assertThat(data.get(0).get("input").asText()).isEqualTo(BRUNO);
        assertThat(data.get(0).get("exists").asBoolean()).isTrue();
        assertThat(data.get(0).get("jid").asText()).isEqualTo(BRUNO_JID);
        assertThat(data.get(0).get("lid").asText()).isEqualTo(brunoLid);
        assertThat(data.get(1).get("input").asText()).isEqualTo("+55 11 98765-2001");
        assertThat(data.get(1).get("exists").asBoolean()).isTrue();
        assertThat(data.get(1).get("jid").asText()).isEqualTo(ANA + "@s.whatsapp.net");
        assertThat(data.get(2).get("exists").asBoolean()).isFalse();
        assertThat(data.get(2).get("jid").isNull()).isTrue();
    }

    @Test
    void aLinkedButOfflineInstanceQueuesAndSendsOnceItIsBack() throws InterruptedException {
        var phone = "5511987652011";
        phone(phone, "Caio");
        var offline = gateway.newInstance(tenant, "offline-shop");
        link(offline, phone);
        var path = "/v1/instances/" + offline.id();
        var down = http.post(path + "/disconnect", offline.token(), null);
        assertThat(down.status()).as(down.toString()).isEqualTo(200);
        awaitInstance(offline, "disconnected");

        var send = http.post(path + "/messages/text", offline.token(),
                "{\"to\": \"" + BRUNO + "\", \"text\": \"Enviada enquanto offline\"}");
        assertThat(send.status()).as(send.toString()).isEqualTo(202);
        assertThat(send.json().at("/message/status").asText()).isEqualTo("queued");
        String id = send.json().at("/message/id").asText();
        Thread.sleep(1500);
        assertThat(inboxEntries(BRUNO, "messages", m -> m.get("id").asText().equals(id))).isEmpty();
        assertThat(http.get(path + "/messages/" + id, offline.token()).json().at("/message/status").asText())
                .isEqualTo("queued");

        var up = http.post(path + "/restart", offline.token(), null);
        assertThat(up.status()).as(up.toString()).isEqualTo(200);
        var arrived = awaitInbox(BRUNO, "messages", m -> m.get("id").asText().equals(id));
        assertThat(arrived.get("text").asText()).isEqualTo("Enviada enquanto offline");
        assertThat(arrived.at("/sender/jid").asText()).isEqualTo(phone + "@s.whatsapp.net");
        awaitStored(path, offline.token(), id, status -> !status.equals("queued"));
    }

    @Test
    void aNumberQueuedWhileOfflineThatIsNotOnWhatsAppEndsFailedAndAWaitingSendSaysSo() throws Exception {
        var phone = "5511987652021";
        phone(phone, "Dani");
        var offline = gateway.newInstance(tenant, "failing-shop");
        link(offline, phone);
        var path = "/v1/instances/" + offline.id();
        var hook = http.post(path + "/webhooks", tenant.token(), "{\"label\":\"e2e\",\"url\":\""
                + receiver.url("/failing") + "\",\"events\":[\"message.status\"]}");
        assertThat(hook.status()).as(hook.toString()).isEqualTo(201);
        assertThat(http.post(path + "/disconnect", tenant.token(), null).status()).isEqualTo(200);
        awaitInstance(offline, "disconnected");

        // offline, the number cannot be checked: it is queued, and checked when the instance is back
        var queued = http.post(path + "/messages/text", tenant.token(),
                "{\"to\": \"5511900008888\", \"text\": \"Ninguém aqui\"}");
        assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
        String id = queued.json().at("/message/id").asText();
        try (var caller = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var waiting = caller.submit(() -> http.post(path + "/messages/text?wait=true", tenant.token(),
                    "{\"to\": \"5511900007777\", \"text\": \"Ninguém aqui também\"}"));
            Thread.sleep(500);
            assertThat(http.post(path + "/restart", tenant.token(), null).status()).isEqualTo(200);

            var refused = waiting.get(40, java.util.concurrent.TimeUnit.SECONDS);
            assertEnvelope(refused, 409, "CONFLICT");
            assertThat(refused.json().get("error").asText()).contains("not on WhatsApp");
        }
        var failed = awaitStored(path, tenant.token(), id, status -> status.equals("failed"));
        assertThat(failed.at("/status_history/1/status").asText()).isEqualTo("failed");
        assertThat(failed.at("/status_history/1/error").asText()).contains("not on WhatsApp");
        var event = awaitEvent("message.status", e -> e.at("/data/message_id").asText().equals(id));
        assertThat(event.at("/data/status").asText()).isEqualTo("failed");
        assertThat(event.at("/data/error").asText()).contains("not on WhatsApp");
    }

    // --- helpers ---

    /** Creates a sandbox phone; returns its LID user. */
    static String phone(String number, String name) {
        var created = http.post("/v1/sandbox/phones", ADMIN,
                "{\"phone_number\": \"" + number + "\", \"push_name\": \"" + name + "\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().at("/phone/lid").asText();
    }

    static void link(GatewayFixture.Instance instance, String phone) throws InterruptedException {
        var raw = http.post("/v1/instances/" + instance.id() + "/connect", tenant.token(), null).json()
                .at("/qr/raw").asText();
        var scan = http.post("/v1/sandbox/phones/" + phone + "/scan", ADMIN, "{\"qr\":\"" + raw + "\"}");
        assertThat(scan.status()).as(scan.toString()).isEqualTo(200);
        awaitInstance(instance, "connected");
    }

    private static void awaitInstance(GatewayFixture.Instance instance, String status) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        JsonNode current = null;
        while (System.nanoTime() < deadline) {
            current = http.get("/v1/instances/" + instance.id(), tenant.token()).json().get("instance");
            if (current.get("status").asText().equals(status)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(instance.name() + " never got " + status + "; last seen " + current);
    }

    private static JsonNode inbox(String number) {
        var response = http.get("/v1/sandbox/phones/" + number + "/messages", ADMIN);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private static List<JsonNode> inboxEntries(String number, String list, Predicate<JsonNode> wanted) {
        return StreamSupport.stream(inbox(number).get(list).spliterator(), false).filter(wanted).toList();
    }

    private static JsonNode awaitInbox(String number, String list, Predicate<JsonNode> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            var found = inboxEntries(number, list, wanted);
            if (!found.isEmpty()) {
                return found.getFirst();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("nothing matching in " + list + " of " + number + " within " + PATIENCE + ": "
                + inbox(number));
    }

    /** The webhook events of one type that match, each once (delivery is at least once: deduped on event_id). */
    private static List<JsonNode> events(String type, Predicate<JsonNode> wanted) {
        var seen = new java.util.LinkedHashMap<String, JsonNode>();
        for (var request : receiver.requests()) {
            var event = request.json();
            if (event.get("event").asText().equals(type) && wanted.test(event)) {
                seen.putIfAbsent(event.get("event_id").asText(), event);
            }
        }
        return List.copyOf(seen.values());
    }

    private static JsonNode awaitEvent(String type, Predicate<JsonNode> wanted) {
        receiver.await(1, r -> {
            var event = r.json();
            return event.get("event").asText().equals(type) && wanted.test(event);
        }, PATIENCE);
        return events(type, wanted).getFirst();
    }

    private static List<JsonNode> statusEvents(String id, String status) {
        return events("message.status", e -> e.at("/data/message_id").asText().equals(id)
                && e.at("/data/status").asText().equals(status));
    }

    private static JsonNode awaitStatus(String id, String status) {
        return awaitEvent("message.status", e -> e.at("/data/message_id").asText().equals(id)
                && e.at("/data/status").asText().equals(status));
    }

    /** Polls GET /messages/{id} until its status satisfies {@code wanted}; returns the message. */
    private static JsonNode awaitStored(String instancePath, String token, String id, Predicate<String> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        JsonNode message = null;
        while (System.nanoTime() < deadline) {
            message = http.get(instancePath + "/messages/" + id, token).json().get("message");
            if (wanted.test(message.get("status").asText())) {
                return message;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("message " + id + " stayed " + message);
    }

    private static long rows(String countQuery) throws java.sql.SQLException {
        try (var connection = gateway.database().dataSource().getConnection();
             var result = connection.createStatement().executeQuery(countQuery)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static List<String> history(JsonNode message) {
        return StreamSupport.stream(message.get("status_history").spliterator(), false)
                .map(step -> step.get("status").asText()).toList();
    }
}
