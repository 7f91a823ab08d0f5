package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static ponte.bootstrap.ErrorEnvelopeTest.assertEnvelope;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * App-state sync through the API, from a sandbox phone to a real webhook receiver: the phone (Ana) holds an address
 * book, chat settings and labels, encrypted as app-state patches; the instance linked to it reads them through the
 * real wire client. Contact names show in GET /contacts and /chats, archive/pin/mute in GET /chats, and label
 * changes arrive as label.update events (every response validated against /openapi.json).
 */
class AppStateEndToEndTest {
    private static final String ADMIN = GatewayFixture.ADMIN_TOKEN;
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String ANA = "5511987654101";
    private static final String CARLA = "5511987654102";
    private static final String DAVI = "5511987654103";
    private static final String CARLA_JID = CARLA + "@s.whatsapp.net";
    private static final String DAVI_JID = DAVI + "@s.whatsapp.net";

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass(Map.of("PONTE_WHATSAPP", "sandbox",
            "PONTE_SANDBOX_PORT", "0"));
    private static Http http;
    private static Receiver receiver;
    private static GatewayFixture.Tenant tenant;
    private static String base;

    @BeforeAll
    static void linkAnInstanceToAPhoneWithAnAddressBook() throws InterruptedException {
        http = gateway.http();
        receiver = Receiver.start();
        tenant = gateway.newTenant("appstate");
        phone(ANA, "Ana");
        phone(CARLA, "Carla");
        phone(DAVI, "Davi");
        // what the phone holds before the link arrives with the full sync once it has shared its key
        ok(http.post(sandbox("/contacts"), ADMIN, "{\"jid\": \"" + CARLA + "\", \"name\": \"Carla Souza\"}"));
        ok(http.put(sandbox("/labels/1"), ADMIN, "{\"name\": \"Lead\", \"color\": 2}"));
        var shop = gateway.newInstance(tenant, "shop");
        base = "/v1/instances/" + shop.id();
        var hook = http.post(base + "/webhooks", tenant.token(), "{\"label\":\"labels\",\"url\":\""
                + receiver.url("/hook") + "\",\"events\":[\"label.update\"]}");
        assertThat(hook.status()).as(hook.toString()).isEqualTo(201);
        var raw = http.post(base + "/connect", tenant.token(), null).json().at("/qr/raw").asText();
        ok(http.post("/v1/sandbox/phones/" + ANA + "/scan", ADMIN, "{\"qr\":\"" + raw + "\"}"));
        await(() -> http.get(base, tenant.token()).json().at("/instance/status").asText().equals("connected"),
                "the instance to connect");
        // a first send from the instance: its keys are up, so Carla's phone encrypts her answer for it too
        var hello = http.post(base + "/messages/text?wait=true", tenant.token(),
                "{\"to\": \"" + CARLA + "\", \"text\": \"olá\"}");
        assertThat(hello.status()).as(hello.toString()).isEqualTo(201);
        var sent = http.post("/v1/sandbox/phones/" + CARLA + "/messages", ADMIN,
                "{\"to\": \"" + ANA + "\", \"text\": \"oi Ana\"}");
        ok(sent);
        var id = sent.json().at("/message/id").asText();
        await(() -> http.get(base + "/messages/" + id, tenant.token()).status() == 200, "Carla's text to be stored");
    }

    @AfterAll
    static void stopTheReceiver() {
        receiver.close();
    }

    @Test
    void theAddressBookNamesContactsAndChatsAndADeletedContactLosesItsName() throws InterruptedException {
        await(() -> contact(CARLA_JID).map(c -> c.path("name").asText()).orElse("").equals("Carla Souza"),
                "Carla's saved name");
        var carla = contact(CARLA_JID).orElseThrow();
        assertThat(carla.get("push_name").asText()).isEqualTo("Carla");
        assertThat(chat(CARLA_JID).orElseThrow().get("name").asText()).as("the saved name names the chat")
                .isEqualTo("Carla Souza");

        // Davi never wrote: the address book alone makes him a contact
        ok(http.post(sandbox("/contacts"), ADMIN, "{\"jid\": \"" + DAVI_JID + "\", \"name\": \"Davi Reis\"}"));
        await(() -> contact(DAVI_JID).map(c -> c.path("name").asText()).orElse("").equals("Davi Reis"),
                "Davi's saved name");
        assertThat(StreamSupport.stream(http.get(base + "/contacts", tenant.token()).json().get("data")
                .spliterator(), false).map(c -> c.get("jid").asText()).toList()).contains(CARLA_JID, DAVI_JID);

        ok(http.delete(sandbox("/contacts/" + DAVI), ADMIN));
        await(() -> contact(DAVI_JID).isEmpty(), "Davi to leave the contacts with his record removed");
        assertEnvelope(http.delete(sandbox("/contacts/" + DAVI), ADMIN), 404, "NOT_FOUND");
    }

    @Test
    void archivePinAndMuteOnThePhoneShowInTheChatList() throws InterruptedException {
        ok(http.send("PATCH", sandbox("/chats"), ADMIN, "{\"chat\": \"" + CARLA_JID + "\", \"archived\": true, \"pinned\": true, "
                + "\"muted\": true, \"muted_until\": \"2030-01-01T00:00:00Z\"}", Map.of()));

        await(() -> chat(CARLA_JID).map(c -> c.get("archived").asBoolean() && c.get("pinned").asBoolean()
                && c.get("muted").asBoolean()).orElse(false), "Carla's chat archived, pinned and muted");
        assertThat(chat(CARLA_JID).orElseThrow().get("muted_until").asText()).isEqualTo("2030-01-01T00:00:00Z");

        ok(http.send("PATCH", sandbox("/chats"), ADMIN, "{\"chat\": \"" + CARLA + "\", \"archived\": false, \"muted\": false}",
                Map.of()));
        await(() -> chat(CARLA_JID).map(c -> !c.get("archived").asBoolean() && !c.get("muted").asBoolean()
                && c.get("muted_until").isNull() && c.get("pinned").asBoolean()).orElse(false),
                "Carla's chat unarchived and unmuted, still pinned");
        assertEnvelope(http.send("PATCH", sandbox("/chats"), ADMIN, "{\"chat\": \"" + CARLA + "\"}", Map.of()), 400,
                "VALIDATION_ERROR");
    }

    @Test
    void labelChangesOnThePhoneAreLabelUpdateEvents() {
        // the label the phone had before the link, from the full sync
        var lead = awaitEvent(e -> e.at("/data/type").asText().equals("edited")
                && e.at("/data/label/id").asText().equals("1"));
        assertThat(lead.at("/data/label/name").asText()).isEqualTo("Lead");
        assertThat(lead.at("/data/label/color").asInt()).isEqualTo(2);
        assertThat(lead.get("instance_id").asText()).isEqualTo(base.substring(base.lastIndexOf('/') + 1));

        ok(http.put(sandbox("/labels/7"), ADMIN, "{\"name\": \"VIP\", \"color\": 5}"));
        awaitEvent(e -> e.at("/data/type").asText().equals("edited") && e.at("/data/label/name").asText()
                .equals("VIP"));
        // put on Carla's chat twice: one event, and the chat list shows it
        ok(http.post(sandbox("/labels/7/chats"), ADMIN, "{\"chat\": \"" + CARLA + "\"}"));
        ok(http.post(sandbox("/labels/7/chats"), ADMIN, "{\"chat\": \"" + CARLA + "\"}"));
        var added = awaitEvent(e -> e.at("/data/type").asText().equals("added"));
        assertThat(added.at("/data/label").toString()).isEqualTo("{\"id\":\"7\",\"name\":\"VIP\",\"color\":5}");
        assertThat(added.at("/data/chat").asText()).isEqualTo(CARLA_JID);
        assertThat(added.at("/data/message_id").isMissingNode()).isTrue();
        assertThat(chat(CARLA_JID).orElseThrow().get("labels").toString())
                .isEqualTo("[{\"id\":\"7\",\"name\":\"VIP\",\"color\":5}]");
        ok(http.post(sandbox("/labels/7/chats"), ADMIN, "{\"chat\": \"" + CARLA + "\", \"message_id\": "
                + "\"3EB0AABBCCDDEEFF\"}"));
        ok(http.post(sandbox("/labels/7/chats"), ADMIN, "{\"chat\": \"" + CARLA + "\", \"message_id\": "
                + "\"3EB0AABBCCDDEEFF\", \"labeled\": false}"));
        var removed = awaitEvent(e -> e.at("/data/type").asText().equals("removed"));
        assertThat(removed.at("/data/message_id").asText()).isEqualTo("3EB0AABBCCDDEEFF");
        assertThat(labelEvents("added")).as("the label put on twice is one event; the message's is another")
                .hasSize(2);
        ok(http.delete(sandbox("/labels/7"), ADMIN));
        var deleted = awaitEvent(e -> e.at("/data/type").asText().equals("deleted"));
        assertThat(deleted.at("/data/label/id").asText()).isEqualTo("7");

        assertEnvelope(http.put(sandbox("/labels/8"), ADMIN, "{\"name\": \"X\", \"color\": 25}"), 400,
                "VALIDATION_ERROR");
        assertEnvelope(http.post(sandbox("/labels/99/chats"), ADMIN, "{\"chat\": \"" + CARLA + "\"}"), 404,
                "NOT_FOUND");
        assertEnvelope(http.delete(sandbox("/labels/99"), ADMIN), 404, "NOT_FOUND");
    }

    // --- helpers ---

    private static String sandbox(String path) {
        return "/v1/sandbox/phones/" + ANA + path;
    }

    private static Optional<JsonNode> contact(String jid) {
        var one = http.get(base + "/contacts/" + jid, tenant.token());
        return one.status() == 200 ? Optional.of(one.json().get("contact")) : Optional.empty();
    }

    private static Optional<JsonNode> chat(String jid) {
        return StreamSupport.stream(http.get(base + "/chats", tenant.token()).json().get("data").spliterator(), false)
                .filter(c -> c.get("jid").asText().equals(jid)).findFirst();
    }

    private static java.util.List<JsonNode> labelEvents(String type) {
        return receiver.requests().stream().map(Receiver.Request::json)
                .filter(e -> e.get("event").asText().equals("label.update")
                        && e.at("/data/type").asText().equals(type)).toList();
    }

    private static JsonNode awaitEvent(Predicate<JsonNode> wanted) {
        Predicate<JsonNode> labelUpdate = e -> e.get("event").asText().equals("label.update") && wanted.test(e);
        receiver.await(1, r -> labelUpdate.test(r.json()), PATIENCE);
        return receiver.requests().stream().map(Receiver.Request::json).filter(labelUpdate).findFirst().orElseThrow();
    }

    private static void phone(String number, String name) {
        var created = http.post("/v1/sandbox/phones", ADMIN,
                "{\"phone_number\": \"" + number + "\", \"push_name\": \"" + name + "\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
    }

    private static void ok(Http.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    private static void await(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            if (done.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("waited " + PATIENCE + " for " + what);
    }
}
