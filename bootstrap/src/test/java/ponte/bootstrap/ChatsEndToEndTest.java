package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static ponte.bootstrap.ErrorEnvelopeTest.assertEnvelope;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Chats and their history through the API, fed by real traffic: an instance linked to a sandbox phone (Ana) through
 * the real wire client exchanges texts with two other sandbox phones (Carla, Davi); the chat list, a chat's pages,
 * unread counts and read-marking are read back over HTTP (every response validated against /openapi.json).
 */
class ChatsEndToEndTest {
    private static final String ADMIN = GatewayFixture.ADMIN_TOKEN;
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String ANA = "5511987653001";
    private static final String CARLA = "5511987653002";
    private static final String DAVI = "5511987653003";
    private static final String EVA = "5511987653004";
    private static final String CARLA_JID = CARLA + "@s.whatsapp.net";
    private static final String DAVI_JID = DAVI + "@s.whatsapp.net";

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass(Map.of("PONTE_WHATSAPP", "sandbox",
            "PONTE_SANDBOX_PORT", "0"));
    private static Http http;
    private static GatewayFixture.Tenant tenant;
    private static String base;
    private static String carlaLid;
    private static final List<String> fromCarla = new ArrayList<>();
    private static String toCarla;

    @BeforeAll
    static void exchangeSomeTexts() throws InterruptedException {
        http = gateway.http();
        tenant = gateway.newTenant("chats");
        phone(ANA, "Ana");
        carlaLid = phone(CARLA, "Carla") + "@lid";
        phone(DAVI, "Davi");
        var shop = gateway.newInstance(tenant, "shop");
        base = "/v1/instances/" + shop.id();
        var raw = http.post(base + "/connect", tenant.token(), null).json().at("/qr/raw").asText();
        var scan = http.post("/v1/sandbox/phones/" + ANA + "/scan", ADMIN, "{\"qr\":\"" + raw + "\"}");
        assertThat(scan.status()).as(scan.toString()).isEqualTo(200);
        await(() -> http.get(base, tenant.token()).json().at("/instance/status").asText().equals("connected"),
                "the instance to connect");

        var send = http.post(base + "/messages/text?wait=true", tenant.token(),
                "{\"to\": \"" + CARLA + "\", \"text\": \"Olá Carla\"}");
        assertThat(send.status()).as(send.toString()).isEqualTo(201);
        toCarla = send.json().at("/message/id").asText();
        // received messages carry whole-second timestamps: let Carla's answers come after ours
        Thread.sleep(1100);
        for (var text : List.of("um", "dois", "três")) {
            fromCarla.add(phoneSends(CARLA, text));
        }
        var fromDavi = phoneSends(DAVI, "oi");
        await(() -> stored(fromDavi) && fromCarla.stream().allMatch(ChatsEndToEndTest::stored),
                "the received texts to be stored");
    }

    @Test
    void theChatListShowsEachChatWithItsLastMessageAndUnreadCount() {
        var list = http.get(base + "/chats", tenant.token());
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        var chats = list.json().get("data");
        assertThat(chats).hasSize(2);
        var davi = chats.get(0);
        assertThat(davi.get("jid").asText()).isEqualTo(DAVI_JID);
        assertThat(davi.get("name").asText()).isEqualTo("Davi");
        assertThat(davi.get("is_group").asBoolean()).isFalse();
        assertThat(davi.get("unread_count").asInt()).isEqualTo(1);
        assertThat(davi.at("/last_message/text").asText()).isEqualTo("oi");
        var carla = chats.get(1);
        assertThat(carla.get("jid").asText()).isIn(CARLA_JID, carlaLid);
        assertThat(carla.get("name").asText()).isEqualTo("Carla");
        assertThat(carla.at("/last_message/id").asText()).isEqualTo(fromCarla.getLast());
        assertThat(list.json().get("next_cursor").isNull()).isTrue();

        var first = http.get(base + "/chats?limit=1", tenant.token()).json();
        assertThat(first.get("data")).hasSize(1);
        var second = http.get(base + "/chats?limit=1&cursor=" + first.get("next_cursor").asText(), tenant.token())
                .json();
        assertThat(second.at("/data/0/jid").asText()).isEqualTo(carla.get("jid").asText());
        assertThat(second.get("next_cursor").isNull()).isTrue();
    }

    @Test
    void aChatsMessagesPageNewestFirstUnderItsPhoneNumberAndItsLid() {
        var all = new ArrayList<String>();
        String before = null;
        do {
            var page = http.get(base + "/chats/" + CARLA_JID + "/messages?limit=3"
                    + (before == null ? "" : "&before=" + before), tenant.token());
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.json().get("data").forEach(m -> all.add(m.get("id").asText()));
            before = page.json().get("next_cursor").isNull() ? null : page.json().get("next_cursor").asText();
        } while (before != null);
        assertThat(all).containsExactly(fromCarla.get(2), fromCarla.get(1), fromCarla.get(0), toCarla);

        var byLid = http.get(base + "/chats/" + carlaLid + "/messages", tenant.token()).json().get("data");
        assertThat(StreamSupport.stream(byLid.spliterator(), false).map(m -> m.get("id").asText()).toList())
                .as("the same chat by its LID").isEqualTo(all);
        assertThat(http.get(base + "/chats/5511900000000@s.whatsapp.net/messages", tenant.token()).json()
                .get("data")).as("a chat without messages").isEmpty();
    }

    @Test
    void readingAChatByItsLidClearsItsUnreadCount() {
        var marked = http.post(base + "/chats/" + carlaLid + "/read", tenant.token(), null);
        assertThat(marked.status()).as(marked.toString()).isEqualTo(200);
        var chats = http.get(base + "/chats", tenant.token()).json().get("data");
        var carla = StreamSupport.stream(chats.spliterator(), false)
                .filter(c -> !c.get("jid").asText().equals(DAVI_JID)).findFirst().orElseThrow();
        assertThat(carla.get("unread_count").asInt()).isZero();
    }

    @Test
    void contactsAreThePeopleWhoWroteByPhoneNumberOrLid() {
        var list = http.get(base + "/contacts", tenant.token());
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        assertThat(StreamSupport.stream(list.json().get("data").spliterator(), false)
                .map(c -> c.get("jid").asText()).toList()).containsExactly(CARLA_JID, DAVI_JID);
        for (var name : List.of(CARLA_JID, carlaLid, CARLA)) {
            var one = http.get(base + "/contacts/" + name, tenant.token());
            assertThat(one.status()).as(one.toString()).isEqualTo(200);
            var carla = one.json().get("contact");
            assertThat(carla.get("jid").asText()).isEqualTo(CARLA_JID);
            assertThat(carla.get("lid").asText()).isEqualTo(carlaLid);
            assertThat(carla.get("phone_number").asText()).isEqualTo(CARLA);
            assertThat(carla.get("push_name").asText()).isEqualTo("Carla");
            assertThat(carla.get("name").isNull()).isTrue();
        }
        assertEnvelope(http.get(base + "/contacts/5511900000000@s.whatsapp.net", tenant.token()), 404, "NOT_FOUND");
        assertEnvelope(http.get(base + "/contacts/120363000000000001@g.us", tenant.token()), 400,
                "VALIDATION_ERROR");
    }

    @Test
    void withReadMessagesTheSenderSeesEveryMessageRead() throws InterruptedException {
        phone(EVA, "Eva");
        var desk = gateway.newInstance(tenant, "desk");
        var path = "/v1/instances/" + desk.id();
        var put = http.put(path + "/settings", tenant.token(), "{\"read_messages\": true}");
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        var raw = http.post(path + "/connect", tenant.token(), null).json().at("/qr/raw").asText();
        var scan = http.post("/v1/sandbox/phones/" + EVA + "/scan", ADMIN, "{\"qr\":\"" + raw + "\"}");
        assertThat(scan.status()).as(scan.toString()).isEqualTo(200);
        await(() -> http.get(path, tenant.token()).json().at("/instance/status").asText().equals("connected"),
                "desk to connect");
        // a first send from the desk: its session is up, and Davi's answer goes to its device too
        var hello = http.post(path + "/messages/text?wait=true", tenant.token(),
                "{\"to\": \"" + DAVI + "\", \"text\": \"olá\"}");
        assertThat(hello.status()).as(hello.toString()).isEqualTo(201);

        var sent = http.post("/v1/sandbox/phones/" + DAVI + "/messages", ADMIN,
                "{\"to\": \"" + EVA + "\", \"text\": \"lido?\"}");
        assertThat(sent.status()).as(sent.toString()).isEqualTo(200);
        var id = sent.json().at("/message/id").asText();
        await(() -> StreamSupport.stream(http.get("/v1/sandbox/phones/" + DAVI + "/messages", ADMIN).json()
                        .get("receipts").spliterator(), false)
                        .anyMatch(r -> r.get("message_id").asText().equals(id) && r.get("type").asText().equals("read")),
                () -> "Davi's phone to see the read receipt; message " + http.get(path + "/messages/" + id,
                        tenant.token()) + " settings " + http.get(path + "/settings", tenant.token()) + " receipts "
                        + http.get("/v1/sandbox/phones/" + DAVI + "/messages", ADMIN).json().get("receipts"));
        assertThat(http.get(path + "/messages/" + id, tenant.token()).json().at("/message/status").asText())
                .isEqualTo("read");
        assertThat(http.get(path + "/chats", tenant.token()).json().at("/data/0/unread_count").asInt()).isZero();
    }

    @Test
    void badInputAndOtherTenantsAreClearErrors() {
        assertEnvelope(http.get(base + "/chats/" + CARLA_JID + "/messages?before=NOPE", tenant.token()), 400,
                "VALIDATION_ERROR");
        assertEnvelope(http.get(base + "/chats/carla/messages", tenant.token()), 400, "VALIDATION_ERROR");
        assertEnvelope(http.get(base + "/chats?cursor=garbage", tenant.token()), 400, "VALIDATION_ERROR");
        assertEnvelope(http.get(base + "/chats?limit=0", tenant.token()), 400, "VALIDATION_ERROR");
        var other = gateway.newTenant("other");
        assertEnvelope(http.get(base + "/chats", other.token()), 404, "NOT_FOUND");
        assertEnvelope(http.get(base + "/chats/" + CARLA_JID + "/messages", other.token()), 404, "NOT_FOUND");
        assertEnvelope(http.get(base + "/contacts", other.token()), 404, "NOT_FOUND");
    }

    // --- helpers ---

    private static String phone(String number, String name) {
        var created = http.post("/v1/sandbox/phones", ADMIN,
                "{\"phone_number\": \"" + number + "\", \"push_name\": \"" + name + "\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().at("/phone/lid").asText();
    }

    private static String phoneSends(String number, String text) {
        var sent = http.post("/v1/sandbox/phones/" + number + "/messages", ADMIN,
                "{\"to\": \"" + ANA + "\", \"text\": \"" + text + "\"}");
        assertThat(sent.status()).as(sent.toString()).isEqualTo(200);
        return sent.json().at("/message/id").asText();
    }

    private static boolean stored(String id) {
        return http.get(base + "/messages/" + id, tenant.token()).status() == 200;
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
            Thread.sleep(100);
        }
        throw new AssertionError("waited " + PATIENCE + " for " + what.get());
    }

}
