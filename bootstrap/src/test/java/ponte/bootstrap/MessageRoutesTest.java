package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static ponte.bootstrap.ErrorEnvelopeTest.assertEnvelope;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The messaging routes' refusals, which need no WhatsApp session: every malformed send named field by field (and
 * nothing queued), the types that are not supported yet, an instance never paired, another tenant's instance and
 * message ids no one sent, and who may call them. What they do with a linked instance is proven end to end in
 * {@code MessagingEndToEndTest}.
 */
class MessageRoutesTest {
    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass(
            Map.of("PONTE_WHATSAPP", "sandbox", "PONTE_SANDBOX_PORT", "0"));
    private static final String ADMIN = GatewayFixture.ADMIN_TOKEN;

    private static Http http;
    private static GatewayFixture.Tenant tenant;
    private static GatewayFixture.Instance unpaired;
    private static String send;

    @BeforeAll
    static void start() {
        http = gateway.http();
        tenant = gateway.newTenant("messages");
        unpaired = gateway.newInstance(tenant, "unpaired");
        send = "/v1/instances/" + unpaired.id() + "/messages/text";
    }

    @Test
    void everyProblemOfATextSendIsNamedByItsField() {
        var all = http.post(send, tenant.token(), """
                {"to": "not a number", "text": "   ", "reply_to": "bad id!", "mentions": ["120363000000000001@g.us"],
                 "idempotency_key": "has spaces"}""");
        assertEnvelope(all, 400, "VALIDATION_ERROR");
        assertThat(fields(all)).containsExactlyInAnyOrder("to", "text", "reply_to", "mentions[0]", "idempotency_key");

        assertField(http.post(send, tenant.token(), "{\"text\": \"oi\"}"), "to");
        assertField(http.post(send, tenant.token(), "{\"to\": \"5511987650002\"}"), "text");
        assertField(http.post(send, tenant.token(), "{\"to\": \"5511987650002\", \"text\": \"\"}"), "text");
        assertField(http.post(send, tenant.token(), "{\"to\": \"5511987650002\", \"text\": \""
                + "a".repeat(65_537) + "\"}"), "text");
        assertField(http.post(send, tenant.token(), "{\"to\": \"5511987650002:3@s.whatsapp.net\", \"text\": \"oi\"}"),
                "to");
        assertField(http.post(send, tenant.token(), "{\"to\": \"123@broadcast\", \"text\": \"oi\"}"), "to");
        assertField(http.post(send, tenant.token(), "{\"to\": \"5511987650002\", \"text\": 5}"), "text");
        assertField(http.post(send, tenant.token(), "{\"to\": \"5511987650002\", \"text\": \"oi\", "
                + "\"link_preview\": \"yes\"}"), "link_preview");
        assertField(http.post(send, tenant.token(), "{\"to\": \"5511987650002\", \"text\": \"oi\", "
                + "\"mentions\": \"5511987650003\"}"), "mentions");
        assertField(http.post(send, tenant.token(), "{\"to\": \"5511987650002\", \"text\": \"oi\", "
                + "\"caption\": \"x\"}"), "caption");
        assertField(http.post(send + "?wait=soon", tenant.token(), "{\"to\": \"5511987650002\", \"text\": \"oi\"}"),
                "wait");
        assertEnvelope(http.post(send, tenant.token(), "{\"to\": "), 400, "MALFORMED_JSON");
    }

    @Test
    void textOfExactlyTheLimitCountedInCodePointsIsNotRefusedForItsLength() {
        // 65,536 emoji are 131,072 UTF-16 units: the limit counts what a person counts
        var response = http.post(send, tenant.token(), "{\"to\": \"5511987650002\", \"text\": \""
                + "😀".repeat(65_536) + "\"}");
        assertEnvelope(response, 409, "NOT_CONNECTED");
    }

    @Test
    void everyTypeChecksItsOwnFieldsAndAnUnknownTypeIsRefused() {
        var sends = "/v1/instances/" + unpaired.id() + "/messages/";
        assertThat(fields(http.post(sends + "location", tenant.token(), "{\"to\": \"5511987650002\", "
                + "\"latitude\": 91, \"longitude\": -181}"))).containsExactly("latitude", "longitude");
        assertThat(fields(http.post(sends + "contact", tenant.token(), "{\"to\": \"5511987650002\", "
                + "\"contacts\": [{\"name\": \"\", \"phones\": []}]}")))
                .containsExactly("contacts[0].name", "contacts[0].phones");
        assertThat(fields(http.post(sends + "reaction", tenant.token(), "{\"to\": \"5511987650002\", "
                + "\"message_id\": \"not an id\", \"emoji\": \"👍\"}"))).containsExactly("message_id");
        assertThat(fields(http.post(sends + "poll", tenant.token(), "{\"to\": \"5511987650002\", "
                + "\"question\": \" \", \"options\": [\"a\", \"a\"]}"))).containsExactly("question", "options[1]");
        assertThat(fields(http.post(sends + "image", tenant.token(), "{\"to\": \"5511987650002\", "
                + "\"url\": \"https://example.com/a.jpg\", \"base64\": \"AAAA\"}"))).containsExactly("url");
        assertThat(fields(http.post(sends + "audio", tenant.token(), "{\"to\": \"5511987650002\", "
                + "\"base64\": \"%%%\", \"gif\": true}"))).containsExactly("base64", "gif");
        // well-formed sends of every type reach the instance check: never paired
        for (var body : new String[] {"location\", {\"to\": \"5511987650002\", \"latitude\": 1, \"longitude\": 2}",
                "poll\", {\"to\": \"5511987650002\", \"question\": \"?\", \"options\": [\"a\", \"b\"]}"}) {
            var type = body.substring(0, body.indexOf('"'));
            assertEnvelope(http.post(sends + type, tenant.token(), body.substring(body.indexOf('{'))), 409,
                    "NOT_CONNECTED");
        }
        var unknown = http.post("/v1/instances/" + unpaired.id() + "/messages/fax", tenant.token(), "{}");
        assertField(unknown, "type");
        assertThat(unknown.json().at("/details/0/problem").asText()).contains("not a message type").contains("text");
    }

    @Test
    void anInstanceNeverPairedCannotSendOrCheckNumbers() {
        assertEnvelope(http.post(send, tenant.token(), "{\"to\": \"5511987650002\", \"text\": \"oi\"}"), 409,
                "NOT_CONNECTED");
        assertEnvelope(http.post(send + "?wait=true", unpaired.token(), "{\"to\": \"5511987650002\", "
                + "\"text\": \"oi\"}"), 409, "NOT_CONNECTED");
        assertEnvelope(http.post("/v1/instances/unpaired/contacts/check", tenant.token(),
                "{\"numbers\": [\"5511987650002\"]}"), 409, "NOT_CONNECTED");
    }

    @Test
    void anotherTenantsInstanceAndAnUnknownMessageAreNotFound() {
        var other = gateway.newTenant("someone else");
        var theirs = gateway.newInstance(other, "theirs");
        var base = "/v1/instances/" + theirs.id();

        assertEnvelope(http.post(base + "/messages/text", tenant.token(), "{\"to\": \"5511987650002\", "
                + "\"text\": \"oi\"}"), 404, "NOT_FOUND");
        assertEnvelope(http.get(base + "/messages/3EB0A1B2C3D4E5F6A7B8C9", tenant.token()), 404, "NOT_FOUND");
        assertEnvelope(http.post(base + "/chats/5511987650002@s.whatsapp.net/read", tenant.token(), null), 404,
                "NOT_FOUND");
        assertEnvelope(http.post(base + "/contacts/check", tenant.token(), "{\"numbers\": [\"5511987650002\"]}"),
                404, "NOT_FOUND");
        assertEnvelope(http.post("/v1/instances/theirs/messages/text", tenant.token(), "{\"to\": \"5511987650002\", "
                + "\"text\": \"oi\"}"), 404, "NOT_FOUND");

        assertEnvelope(http.get("/v1/instances/unpaired/messages/3EB0A1B2C3D4E5F6A7B8C9", tenant.token()), 404,
                "NOT_FOUND");
        assertField(http.get("/v1/instances/unpaired/messages/not%20an%20id", tenant.token()), "message_id");
    }

    @Test
    void theAccountOrTheInstancesOwnTokenMaySendAndNoOtherToken() {
        var sibling = gateway.newInstance(tenant, "sibling");
        var body = "{\"to\": \"5511987650002\", \"text\": \"oi\"}";

        assertEnvelope(http.post(send, null, body), 401, "UNAUTHORIZED");
        assertEnvelope(http.post(send, "ptk_not-a-token", body), 401, "UNAUTHORIZED");
        assertEnvelope(http.post(send, ADMIN, body), 403, "FORBIDDEN");
        assertEnvelope(http.post(send, sibling.token(), body), 404, "NOT_FOUND");
        assertEnvelope(http.post("/v1/instances/unpaired/contacts/check", sibling.token(),
                "{\"numbers\": [\"5511987650002\"]}"), 404, "NOT_FOUND");
        assertEnvelope(http.send("POST", send, null, body, Map.of("apikey", unpaired.token())), 409, "NOT_CONNECTED");
        assertEnvelope(http.send("POST", send, null, body, Map.of("token", tenant.token())), 409, "NOT_CONNECTED");
    }

    @Test
    void checkingNumbersNeedsOneToFiftyNumbers() {
        var check = "/v1/instances/unpaired/contacts/check";
        assertField(http.post(check, tenant.token(), "{}"), "numbers");
        assertField(http.post(check, tenant.token(), "{\"numbers\": \"5511987650002\"}"), "numbers");
        assertField(http.post(check, tenant.token(), "{\"numbers\": [5511987650002]}"), "numbers[0]");
    }

    @Test
    void theDocumentDescribesTheSendsTwoSuccessesAndTheStatusHistory() {
        var document = http.get("/openapi.json", null).json();
        var text = document.at("/paths/~1v1~1instances~1{id}~1messages~1text/post");
        assertThat(text.at("/responses").has("202")).isTrue();
        assertThat(text.at("/responses").has("201")).isTrue();
        assertThat(text.at("/responses").has("409")).isTrue();
        assertThat(StreamSupport.stream(text.get("parameters").spliterator(), false)
                .map(p -> p.get("name").asText())).contains("wait");
        for (var type : new String[] {"location", "contact", "reaction", "poll", "image", "video", "audio",
                "document", "sticker"}) {
            assertThat(document.at("/paths/~1v1~1instances~1{id}~1messages~1" + type + "/post/requestBody").isMissingNode())
                    .as(type).isFalse();
        }
        assertThat(document.at("/paths/~1v1~1instances~1{id}~1messages~1{message_id}/patch").isMissingNode()).isFalse();
        assertThat(document.at("/paths/~1v1~1instances~1{id}~1messages~1{message_id}/delete").isMissingNode()).isFalse();
        assertThat(document.at("/components/schemas/MessageDtosMessageView/properties").has("status_history"))
                .isTrue();
        assertThat(document.at("/components/schemas/MessageDtosStatusStep/properties/status/enum").toString())
                .contains("delivered", "read", "failed");
    }

    private static java.util.List<String> fields(Http.Response response) {
        return StreamSupport.stream(response.json().get("details").spliterator(), false)
                .map(d -> d.get("field").asText()).toList();
    }

    private static void assertField(Http.Response response, String field) {
        assertEnvelope(response, 400, "VALIDATION_ERROR");
        JsonNode details = response.json().get("details");
        assertThat(fields(response)).as(response.toString()).contains(field);
        assertThat(details.get(0).get("problem").asText()).isNotBlank();
    }
}
