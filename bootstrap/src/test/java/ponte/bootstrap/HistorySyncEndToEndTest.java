package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static ponte.bootstrap.ErrorEnvelopeTest.assertEnvelope;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The phone's history through the gateway (issue 12 §7): sandbox phones that exchanged texts and hold seeded chats
 * ({@code POST /v1/sandbox/phones/{phone}/history}) are linked to instances through the real wire client; with
 * {@code skip_history_sync: false} the history fills the chats, a chat's messages and the contacts, each message a
 * {@code message.exchange} event with {@code from_history: true} that no webhook gets (a real HTTP receiver); with
 * the default ({@code true}) only the contacts are kept. Every response is validated against /openapi.json.
 */
class HistorySyncEndToEndTest {
    private static final String ADMIN = GatewayFixture.ADMIN_TOKEN;
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String ANA = "5511987654001";
    private static final String BRUNO = "5511987654002";
    private static final String FLAVIA = "5511987654003";
    private static final String BRUNO_JID = BRUNO + "@s.whatsapp.net";
    private static final String SEEDED_1 = "15550000001@s.whatsapp.net";

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass(Map.of("PONTE_WHATSAPP", "sandbox",
            "PONTE_SANDBOX_PORT", "0"));
    private static Http http;
    private static Receiver receiver;
    private static GatewayFixture.Tenant tenant;
    private static String brunoLid;

    @BeforeAll
    static void phones() {
        http = gateway.http();
        receiver = Receiver.start();
        tenant = gateway.newTenant("history");
        phone(ANA, "Ana");
        brunoLid = phone(BRUNO, "Bruno") + "@lid";
        phone(FLAVIA, "Flávia");
    }

    @AfterAll
    static void stopTheReceiver() {
        receiver.close();
    }

    @Test
    void withSkipHistorySyncFalseTheHistoryFillsChatsMessagesAndContactsWithoutWebhooks() throws Exception {
        // before the link: Bruno writes to Ana, and Ana's phone holds 30 seeded messages over 3 chats
        var fromBruno = http.post("/v1/sandbox/phones/" + BRUNO + "/messages", ADMIN,
                "{\"to\": \"" + ANA + "\", \"text\": \"Oi Ana, chegou?\"}");
        assertThat(fromBruno.status()).as(fromBruno.toString()).isEqualTo(200);
        var brunoId = fromBruno.json().at("/message/id").asText();
        await(() -> http.get("/v1/sandbox/phones/" + ANA + "/messages", ADMIN).body().contains(brunoId),
                "Ana's phone to receive Bruno's text");
        var seeded = http.post("/v1/sandbox/phones/" + ANA + "/history", ADMIN, "{\"count\": 30, \"chats\": 3}");
        assertThat(seeded.status()).as(seeded.toString()).isEqualTo(200);
        assertThat(seeded.json().get("messages").asInt()).isEqualTo(31);

        var shop = gateway.newInstance(tenant, "shop");
        var base = "/v1/instances/" + shop.id();
        var put = http.put(base + "/settings", tenant.token(), "{\"skip_history_sync\": false}");
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        webhook(base);
        link(base, ANA);

        await(() -> chats(base).size() == 4, () -> "4 chats from the history, got " + chats(base));
        var chats = chats(base);
        assertThat(chats.getFirst().get("jid").asText()).as("Bruno's message is the newest").isEqualTo(BRUNO_JID);
        var bruno = chats.getFirst();
        assertThat(bruno.get("name").asText()).isEqualTo("Bruno");
        assertThat(bruno.get("unread_count").asInt()).as("history is read").isZero();
        assertThat(bruno.at("/last_message/text").asText()).isEqualTo("Oi Ana, chegou?");
        assertThat(bruno.at("/last_message/from_history").asBoolean()).isTrue();
        var first = chats.stream().filter(c -> c.get("jid").asText().equals(SEEDED_1)).findFirst().orElseThrow();
        assertThat(first.get("name").asText()).isEqualTo("History contact 1");

        var messages = http.get(base + "/chats/" + SEEDED_1 + "/messages?limit=200", tenant.token());
        assertThat(messages.status()).as(messages.toString()).isEqualTo(200);
        var page = StreamSupport.stream(messages.json().get("data").spliterator(), false).toList();
        assertThat(page).hasSize(10);
        assertThat(page).allMatch(m -> m.get("from_history").asBoolean());
        assertThat(page.stream().filter(m -> m.get("from_me").asBoolean())).as("every third one Ana's").isNotEmpty();
        assertThat(page.getFirst().get("timestamp").asText()).isGreaterThan(page.getLast().get("timestamp")
                .asText());

        var contact = http.get(base + "/contacts/" + brunoLid, tenant.token());
        assertThat(contact.status()).as(contact.toString()).isEqualTo(200);
        assertThat(contact.json().at("/contact/jid").asText()).isEqualTo(BRUNO_JID);
        assertThat(contact.json().at("/contact/push_name").asText()).isEqualTo("Bruno");
        var seededContact = http.get(base + "/contacts/" + SEEDED_1, tenant.token());
        assertThat(seededContact.json().at("/contact/push_name").asText()).isEqualTo("History contact 1");
        assertThat(seededContact.json().at("/contact/lid").asText()).isEqualTo("915550000001@lid");

        // every history message is an event, and none went to the webhook (older than the link)
        await(() -> rows("select count(*) from events where instance_id = '" + shop.id()
                + "' and payload like '%\"from_history\":true%'") == 31, "31 from_history events");
        // a live message after the link does reach the webhook: the webhook works, history is what it skips
        var live = http.post("/v1/sandbox/phones/" + BRUNO + "/messages", ADMIN,
                "{\"to\": \"" + ANA + "\", \"text\": \"e agora?\"}");
        var liveId = live.json().at("/message/id").asText();
        receiver.await(1, r -> r.body().contains(liveId), PATIENCE);
        assertThat(receiver.bodies()).noneMatch(body -> body.contains("\"from_history\":true"));
        assertThat(http.get(base + "/chats", tenant.token()).json().at("/data/0/unread_count").asInt())
                .as("the live one is unread").isEqualTo(1);
    }

    @Test
    void byDefaultTheHistorysMessagesAreSkippedButItsContactsAreKept() throws Exception {
        var seeded = http.post("/v1/sandbox/phones/" + FLAVIA + "/history", ADMIN, "{\"count\": 8, \"chats\": 2}");
        assertThat(seeded.status()).as(seeded.toString()).isEqualTo(200);
        var desk = gateway.newInstance(tenant, "desk");
        var base = "/v1/instances/" + desk.id();
        assertThat(http.get(base + "/settings", tenant.token()).json().at("/settings/skip_history_sync")
                .asBoolean()).isTrue();
        link(base, FLAVIA);

        await(() -> http.get(base + "/contacts/" + SEEDED_1, tenant.token()).status() == 200,
                "the history's contacts");
        var contact = http.get(base + "/contacts/" + SEEDED_1, tenant.token()).json().get("contact");
        assertThat(contact.get("push_name").asText()).isEqualTo("History contact 1");
        assertThat(contact.get("lid").asText()).isEqualTo("915550000001@lid");
        assertThat(http.get(base, tenant.token()).json().at("/instance/push_name").asText())
                .as("our own push name from the history").isEqualTo("Flávia");
        assertThat(chats(base)).as("no message of the history is stored").isEmpty();
        assertThat(rows("select count(*) from events where instance_id = '" + desk.id()
                + "' and event = 'message.exchange'")).isZero();
    }

    @Test
    void seedingBadInputIsAClearError() {
        assertEnvelope(http.post("/v1/sandbox/phones/" + ANA + "/history", ADMIN, "{\"count\": 0}"), 400,
                "VALIDATION_ERROR");
        assertEnvelope(http.post("/v1/sandbox/phones/" + ANA + "/history", ADMIN, "{\"count\": 5, \"chats\": 6}"),
                400, "VALIDATION_ERROR");
        assertEnvelope(http.post("/v1/sandbox/phones/5511900000000/history", ADMIN, "{\"count\": 5}"), 404,
                "NOT_FOUND");
        assertEnvelope(http.post("/v1/sandbox/phones/" + ANA + "/history", tenant.token(), "{\"count\": 5}"), 403,
                "FORBIDDEN");
    }

    // --- helpers ---

    private static List<JsonNode> chats(String base) {
        var list = http.get(base + "/chats?limit=200", tenant.token());
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        return StreamSupport.stream(list.json().get("data").spliterator(), false).toList();
    }

    private static void webhook(String base) {
        var hook = http.post(base + "/webhooks", tenant.token(), "{\"label\":\"history\",\"url\":\""
                + receiver.url("/hook") + "\",\"events\":[\"message.exchange\"]}");
        assertThat(hook.status()).as(hook.toString()).isEqualTo(201);
    }

    private static void link(String base, String phone) throws InterruptedException {
        var raw = http.post(base + "/connect", tenant.token(), null).json().at("/qr/raw").asText();
        var scan = http.post("/v1/sandbox/phones/" + phone + "/scan", ADMIN, "{\"qr\":\"" + raw + "\"}");
        assertThat(scan.status()).as(scan.toString()).isEqualTo(200);
        await(() -> http.get(base, tenant.token()).json().at("/instance/status").asText().equals("connected"),
                "the instance to connect");
    }

    private static String phone(String number, String name) {
        var created = http.post("/v1/sandbox/phones", ADMIN,
                "{\"phone_number\": \"" + number + "\", \"push_name\": \"" + name + "\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().at("/phone/lid").asText();
    }

    private static long rows(String countQuery) {
        try (var connection = gateway.database().dataSource().getConnection();
             var result = connection.createStatement().executeQuery(countQuery)) {
            result.next();
            return result.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
        await(done, () -> what);
    }

    private static void await(java.util.function.BooleanSupplier done, java.util.function.Supplier<String> what)
            throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            if (done.getAsBoolean()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("waited " + PATIENCE + " for " + what.get());
    }
}
