package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static ponte.bootstrap.ErrorEnvelopeTest.assertEnvelope;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A sandbox phone's user acts over HTTP: texts another phone, reads what arrived (decrypted) and the receipts its
 * own messages got, marks messages read, rings. The messaging itself is proven beside the sandbox, in
 * adapters-whatsapp; here the routes, their shapes (checked against the OpenAPI by the client) and their refusals.
 */
class SandboxMessagingRoutesTest {
    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass(
            Map.of("PONTE_WHATSAPP", "sandbox", "PONTE_SANDBOX_PORT", "0"));

    private static final String ADMIN = GatewayFixture.ADMIN_TOKEN;
    private static final Duration PATIENCE = Duration.ofSeconds(15);

    @Test
    void twoPhonesExchangeATextAndSeeTheDeliveryAndReadReceipts() throws InterruptedException {
        String anaLid = phone("5511987651001", "Ana");
        phone("5511987651002", "Bruno");

        var sent = gateway.http().post("/v1/sandbox/phones/5511987651001/messages", ADMIN,
                "{\"to\": \"+5511987651002\", \"text\": \"Oi Bruno, tudo bem?\"}");
        assertThat(sent.status()).as(sent.toString()).isEqualTo(200);
        assertThat(sent.json().get("success").asBoolean()).isTrue();
        String id = sent.json().at("/message/id").asText();
        assertThat(id).isNotBlank();

        JsonNode atBruno = awaitEntry("5511987651002", "messages", m -> m.get("id").asText().equals(id));
        assertThat(atBruno.get("text").asText()).isEqualTo("Oi Bruno, tudo bem?");
        assertThat(atBruno.get("type").asText()).isEqualTo("text");
        assertThat(atBruno.get("chat_jid").asText()).isEqualTo("5511987651001@s.whatsapp.net");
        assertThat(atBruno.get("from_me").asBoolean()).isFalse();
        assertThat(atBruno.get("is_group").asBoolean()).isFalse();
        assertThat(atBruno.at("/sender/jid").asText()).isEqualTo("5511987651001@s.whatsapp.net");
        assertThat(atBruno.at("/sender/lid").asText()).isEqualTo(anaLid + "@lid");
        assertThat(atBruno.at("/sender/push_name").asText()).isEqualTo("Ana");
        assertThat(Instant.parse(atBruno.get("timestamp").asText()))
                .isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(5));

        JsonNode delivered = awaitEntry("5511987651001", "receipts",
                r -> r.get("message_id").asText().equals(id) && r.get("type").asText().equals("delivered"));
        assertThat(delivered.get("from").asText()).startsWith("5511987651002");
        assertThat(receipts("5511987651001", id, "read")).as("nothing was read yet").isZero();

        var read = gateway.http().post("/v1/sandbox/phones/5511987651002/read", ADMIN,
                "{\"chat\": \"5511987651001@s.whatsapp.net\", \"message_ids\": [\"" + id + "\"]}");
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.json().get("success").asBoolean()).isTrue();

        JsonNode readReceipt = awaitEntry("5511987651001", "receipts",
                r -> r.get("message_id").asText().equals(id) && r.get("type").asText().equals("read"));
        assertThat(readReceipt.get("from").asText()).startsWith("5511987651002");
        assertThat(inbox("5511987651001").get("messages")).as("Ana received nothing herself").isEmpty();
    }

    @Test
    void aPhoneRingsAnotherAndGetsTheCallId() {
        phone("5511987651011", "Caio");
        phone("5511987651012", "Duda");

        var call = gateway.http().post("/v1/sandbox/phones/5511987651011/calls", ADMIN,
                "{\"to\": \"5511987651012@s.whatsapp.net\"}");

        assertThat(call.status()).as(call.toString()).isEqualTo(200);
        assertThat(call.json().get("success").asBoolean()).isTrue();
        assertThat(call.json().at("/call/id").asText()).matches("[0-9A-F]{32}");
    }

    @Test
    void everyBadRequestIsRefusedNamingTheField() {
        phone("5511987651021", "Eva");
        phone("5511987651022", "Fábio");
        String messages = "/v1/sandbox/phones/5511987651021/messages";

        var image = gateway.http().post(messages, ADMIN,
                "{\"to\": \"5511987651022\", \"type\": \"image\", \"text\": \"x\"}");
        assertField(image, "type");
        assertThat(image.json().at("/details/0/problem").asText()).contains("text");
        var stranger = gateway.http().post(messages, ADMIN, "{\"to\": \"5511900000000\", \"text\": \"alô\"}");
        assertField(stranger, "to");
        assertThat(stranger.json().at("/details/0/problem").asText()).contains("is not on WhatsApp");
        assertField(gateway.http().post(messages, ADMIN, "{\"to\": \"fábio\", \"text\": \"alô\"}"), "to");
        assertField(gateway.http().post(messages, ADMIN, "{\"to\": \"120363000000000000@g.us\", \"text\": \"alô\"}"),
                "to");
        assertField(gateway.http().post(messages, ADMIN, "{\"text\": \"alô\"}"), "to");
        assertField(gateway.http().post(messages, ADMIN, "{\"to\": \"5511987651022\"}"), "text");
        assertField(gateway.http().post(messages, ADMIN, "{\"to\": \"5511987651022\", \"text\": \"\"}"), "text");

        String read = "/v1/sandbox/phones/5511987651022/read";
        assertField(gateway.http().post(read, ADMIN, "{\"chat\": \"5511987651021\", \"message_ids\": []}"),
                "message_ids");
        assertField(gateway.http().post(read, ADMIN, "{\"chat\": \"5511987651021\"}"), "message_ids");
        assertField(gateway.http().post(read, ADMIN, "{\"chat\": \"5511900000000\", \"message_ids\": [\"A1\"]}"),
                "chat");

        String calls = "/v1/sandbox/phones/5511987651021/calls";
        assertField(gateway.http().post(calls, ADMIN, "{\"to\": \"5511900000000\"}"), "to");
        assertField(gateway.http().post(calls, ADMIN, "{}"), "to");

        assertThat(inbox("5511987651022").get("messages")).as("nothing refused was sent").isEmpty();
    }

    @Test
    void anUnknownPhoneIsNotFoundOnEveryRoute() {
        phone("5511987651031", "Gil");
        String unknown = "/v1/sandbox/phones/4915100000001";

        assertEnvelope(gateway.http().post(unknown + "/messages", ADMIN,
                "{\"to\": \"5511987651031\", \"text\": \"alô\"}"), 404, "NOT_FOUND");
        assertEnvelope(gateway.http().get(unknown + "/messages", ADMIN), 404, "NOT_FOUND");
        assertEnvelope(gateway.http().post(unknown + "/read", ADMIN,
                "{\"chat\": \"5511987651031\", \"message_ids\": [\"A1\"]}"), 404, "NOT_FOUND");
        assertEnvelope(gateway.http().post(unknown + "/calls", ADMIN, "{\"to\": \"5511987651031\"}"), 404,
                "NOT_FOUND");
    }

    @Test
    void onlyTheAdminActsAsAPhone() {
        phone("5511987651041", "Hugo");
        phone("5511987651042", "Iara");
        var tenant = gateway.newTenant("not-admin-phone-user");
        String base = "/v1/sandbox/phones/5511987651041";

        assertEnvelope(gateway.http().post(base + "/messages", tenant.token(),
                "{\"to\": \"5511987651042\", \"text\": \"alô\"}"), 403, "FORBIDDEN");
        assertEnvelope(gateway.http().get(base + "/messages", tenant.token()), 403, "FORBIDDEN");
        assertEnvelope(gateway.http().post(base + "/read", tenant.token(),
                "{\"chat\": \"5511987651042\", \"message_ids\": [\"A1\"]}"), 403, "FORBIDDEN");
        assertEnvelope(gateway.http().post(base + "/calls", tenant.token(), "{\"to\": \"5511987651042\"}"), 403,
                "FORBIDDEN");
        assertThat(inbox("5511987651042").get("messages")).isEmpty();
    }

    /** Creates the phone; returns its LID user. */
    private static String phone(String number, String name) {
        var created = gateway.http().post("/v1/sandbox/phones", ADMIN,
                "{\"phone_number\": \"" + number + "\", \"push_name\": \"" + name + "\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().at("/phone/lid").asText();
    }

    private static JsonNode inbox(String number) {
        var response = gateway.http().get("/v1/sandbox/phones/" + number + "/messages", ADMIN);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json().get("success").asBoolean()).isTrue();
        return response.json();
    }

    private static long receipts(String number, String id, String type) {
        return StreamSupport.stream(inbox(number).get("receipts").spliterator(), false)
                .filter(r -> r.get("message_id").asText().equals(id) && r.get("type").asText().equals(type)).count();
    }

    /** The first entry of the phone's {@code messages} or {@code receipts} that matches, polled until it shows. */
    private static JsonNode awaitEntry(String number, String list, Predicate<JsonNode> wanted)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(PATIENCE);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            last = inbox(number);
            for (JsonNode entry : last.get(list)) {
                if (wanted.test(entry)) {
                    return entry;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no matching entry in " + list + " of " + number + " within " + PATIENCE + ": "
                + last);
    }

    private static void assertField(Http.Response response, String field) {
        assertEnvelope(response, 400, "VALIDATION_ERROR");
        assertThat(response.json().at("/details/0/field").asText()).as(response.toString()).isEqualTo(field);
    }
}
