package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * /openapi.json as a strict client reads it. Every answer of the whole suite is checked against it by {@link Http};
 * here: the document names its server and licence, and the example body a client (or Swagger UI's "Try it out")
 * builds from each request schema is accepted by the route.
 */
class OpenApiContractTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass(
            Map.of("PONTE_WHATSAPP", "sandbox", "PONTE_SANDBOX_PORT", "0"));
    private static Http http;
    private static OpenApiContract contract;

    @BeforeAll
    static void start() {
        http = gateway.http();
        contract = OpenApiContract.of(http.base());
    }

    @Test
    void theDocumentNamesItsServerAndLicence() {
        var document = http.get("/openapi.json", null).json();
        assertThat(document.at("/info/license/identifier").asText()).isEqualTo("Apache-2.0");
        assertThat(document.at("/servers/0/url").asText()).isEqualTo("/");
    }

    @Test
    void theExampleBodyBuiltFromEachRequestSchemaIsAccepted() {
        var tenant = gateway.newTenant("examples");
        var document = contract.document();
        var softly = new SoftAssertions();
        // the sandbox phone first: the pairing-code example asks for its number
        var order = new java.util.ArrayList<Map.Entry<String, JsonNode>>();
        document.get("paths").properties().forEach(order::add);
        order.sort(java.util.Comparator.comparing(e -> e.getKey().startsWith("/v1/sandbox/phones") ? 0 : 1));
        // the peer the sandbox phone's examples text, read and call
        http.send("POST", "/v1/sandbox/phones", GatewayFixture.ADMIN_TOKEN,
                "{\"phone_number\": \"5511987650002\", \"push_name\": \"Bruno\"}", Map.of());
        // and the one the group examples add
        http.send("POST", "/v1/sandbox/phones", GatewayFixture.ADMIN_TOKEN,
                "{\"phone_number\": \"5511987650004\", \"push_name\": \"Davi\"}", Map.of());
        int created = 0;
        String sendsFrom = null;
        for (var path : order) {
            for (var op : path.getValue().properties()) {
                var schema = op.getValue().at("/requestBody/content/application~1json/schema");
                if (schema.isMissingNode()) {
                    continue;
                }
                var example = example(schema, document);
                var method = op.getKey().toUpperCase(java.util.Locale.ROOT);
                var what = method + " " + path.getKey() + " " + example;
                var pointer = "/paths/" + OpenApiContract.escape(path.getKey()) + "/" + op.getKey()
                        + "/requestBody/content/application~1json/schema";
                softly.assertThat(contract.validate(pointer, example)).as("the example matches its own schema: "
                        + what).isEmpty();
                // an instance only for the routes that name one: creations are rate-limited per minute
                // the message sends share one: there are a dozen of them
                boolean send = path.getKey().startsWith("/v1/instances/{id}/messages/");
                if (send && sendsFrom == null) {
                    sendsFrom = gateway.newInstance(tenant, "example-sends").id();
                }
                var instanceId = !path.getKey().contains("{id}") ? "" : send ? sendsFrom
                        : gateway.newInstance(tenant, "example-" + created++).id();
                var url = path.getKey().replace("{id}", instanceId).replace("{label}", "default")
                        .replace("{phone}", "5511987650001").replace("{jid}", "120363000000000001@g.us")
                        .replace("{message_id}", "3EB0A1B2C3D4E5F6A7B8C9");
                var token = url.startsWith("/v1/tenants") || url.startsWith("/v1/sandbox")
                        ? GatewayFixture.ADMIN_TOKEN : tenant.token();
                if (url.equals("/v1/instances")) {
                    ((ObjectNode) example).put("name", "example-created");
                }
                var response = http.send(method, url, token, example.toString(), Map.of());
                softly.assertThat(response.status()).as(what + " -> " + response).isNotEqualTo(400);
                if (url.equals("/v1/instances") && response.status() == 201) {
                    for (var block : new String[] {"proxy", "settings", "webhook", "websocket"}) {
                        softly.assertThat(response.json().at("/" + block + "/status").asText())
                                .as(block + " block of " + response).isNotEqualTo("error");
                    }
                }
            }
        }
        softly.assertAll();
    }

    /** What a generator builds: the schema's example, else its first enum value, else one value of its type. */
    static JsonNode example(JsonNode schema, JsonNode document) {
        if (schema.has("$ref")) {
            return example(document.at(schema.get("$ref").asText().substring(1)), document);
        }
        if (schema.has("example")) {
            return schema.get("example").deepCopy();
        }
        if (schema.has("enum")) {
            return schema.get("enum").get(0);
        }
        for (var combinator : new String[] {"allOf", "anyOf", "oneOf"}) {
            if (schema.has(combinator)) {
                return example(schema.get(combinator).get(0), document);
            }
        }
        var type = schema.path("type");
        var name = type.isArray() ? type.get(0).asText() : type.asText();
        return switch (name) {
            case "object" -> {
                var object = F.objectNode();
                schema.path("properties").properties().forEach(p -> object.set(p.getKey(),
                        example(p.getValue(), document)));
                yield object;
            }
            case "array" -> F.arrayNode().add(example(schema.path("items"), document));
            case "integer" -> F.numberNode(1);
            case "number" -> F.numberNode(1.5);
            case "boolean" -> F.booleanNode(true);
            case "string" -> F.textNode("string");
            default -> F.objectNode();
        };
    }
}
