package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static ponte.bootstrap.ErrorEnvelopeTest.assertEnvelope;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sandbox phones in a group over HTTP: one creates it, the others list it, a member's text to the group JID reaches
 * the others decrypted (the group as chat), and the refusals name their field. The group protocol itself is proven
 * in adapters-whatsapp; here the routes and their shapes (checked against the OpenAPI by the client).
 */
class SandboxGroupRoutesTest {
    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass(
            Map.of("PONTE_WHATSAPP", "sandbox", "PONTE_SANDBOX_PORT", "0"));

    private static final String ADMIN = GatewayFixture.ADMIN_TOKEN;
    private static final Duration PATIENCE = Duration.ofSeconds(15);

    @Test
    void aPhoneCreatesAGroupAndAMembersTextReachesTheOthersWithTheGroupAsChat() throws InterruptedException {
        phone("5511987652001", "Ana");
        phone("5511987652002", "Bruno");
        phone("5511987652003", "Carla");

        var created = gateway.http().post("/v1/sandbox/phones/5511987652001/groups", ADMIN,
                "{\"subject\": \"Família\", \"participants\": [\"+5511987652002\", \"5511987652003@s.whatsapp.net\"]}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String group = created.json().at("/group/jid").asText();
        assertThat(group).endsWith("@g.us");
        List<String> members = new ArrayList<>();
        created.json().at("/group/participants").forEach(member -> members.add(member.asText()));
        assertThat(members).containsExactly("5511987652001", "5511987652002", "5511987652003");

        var listed = gateway.http().get("/v1/sandbox/phones/5511987652003/groups", ADMIN);
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        assertThat(listed.json().at("/groups/0/jid").asText()).isEqualTo(group);
        assertThat(listed.json().at("/groups/0/subject").asText()).isEqualTo("Família");

        var sent = gateway.http().post("/v1/sandbox/phones/5511987652002/messages", ADMIN,
                "{\"to\": \"" + group + "\", \"text\": \"Oi, família\"}");
        assertThat(sent.status()).as(sent.toString()).isEqualTo(200);
        String id = sent.json().at("/message/id").asText();
        for (String member : List.of("5511987652001", "5511987652003")) {
            JsonNode message = awaitMessage(member, id);
            assertThat(message.get("text").asText()).isEqualTo("Oi, família");
            assertThat(message.get("chat_jid").asText()).isEqualTo(group);
            assertThat(message.get("is_group").asBoolean()).isTrue();
            assertThat(message.at("/sender/jid").asText()).isEqualTo("5511987652002@s.whatsapp.net");
        }
    }

    @Test
    void badGroupRequestsAreRefusedNamingTheFieldAndANonMemberCannotSend() {
        phone("5511987652011", "Eva");
        phone("5511987652012", "Fábio");
        phone("5511987652013", "Gil");
        String groups = "/v1/sandbox/phones/5511987652011/groups";

        assertField(gateway.http().post(groups, ADMIN, "{\"participants\": [\"5511987652012\"]}"), "subject");
        assertField(gateway.http().post(groups, ADMIN, "{\"subject\": \"x\", \"participants\": []}"),
                "participants");
        assertField(gateway.http().post(groups, ADMIN, "{\"subject\": \"x\", \"participants\": [\"5511900000000\"]}"),
                "participants");
        assertEnvelope(gateway.http().post("/v1/sandbox/phones/4915100000001/groups", ADMIN,
                "{\"subject\": \"x\", \"participants\": [\"5511987652012\"]}"), 404, "NOT_FOUND");
        var created = gateway.http().post(groups, ADMIN,
                "{\"subject\": \"Sem Gil\", \"participants\": [\"5511987652012\"]}");
        String group = created.json().at("/group/jid").asText();

        assertEnvelope(gateway.http().post("/v1/sandbox/phones/5511987652013/messages", ADMIN,
                "{\"to\": \"" + group + "\", \"text\": \"posso?\"}"), 409, "CONFLICT");
        assertThat(gateway.http().get("/v1/sandbox/phones/5511987652013/groups", ADMIN).json().get("groups"))
                .isEmpty();
    }

    private static void phone(String number, String name) {
        var created = gateway.http().post("/v1/sandbox/phones", ADMIN,
                "{\"phone_number\": \"" + number + "\", \"push_name\": \"" + name + "\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
    }

    private static JsonNode awaitMessage(String number, String id) throws InterruptedException {
        Instant deadline = Instant.now().plus(PATIENCE);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            last = gateway.http().get("/v1/sandbox/phones/" + number + "/messages", ADMIN).json();
            for (JsonNode entry : last.get("messages")) {
                if (entry.get("id").asText().equals(id)) {
                    return entry;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("message " + id + " did not reach " + number + " within " + PATIENCE + ": " + last);
    }

    private static void assertField(Http.Response response, String field) {
        assertEnvelope(response, 400, "VALIDATION_ERROR");
        assertThat(response.json().at("/details/0/field").asText()).as(response.toString()).isEqualTo(field);
    }
}
