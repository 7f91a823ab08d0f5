package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static ponte.bootstrap.ErrorEnvelopeTest.assertEnvelope;

import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every value is read as exactly the JSON type its field declares, on every route that takes a body: no rounding of
 * 2.9 to 2, no "10" read as 10, no null silently keeping the old value. The answer is a 400 naming the field.
 */
class JsonTypesTest {
    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass(
            Map.of("PONTE_WHATSAPP", "sandbox", "PONTE_SANDBOX_PORT", "0"));
    private static Http http;
    private static GatewayFixture.Tenant tenant;
    private static GatewayFixture.Instance instance;

    @BeforeAll
    static void start() {
        http = gateway.http();
        tenant = gateway.newTenant("types");
        instance = gateway.newInstance(tenant, "typed");
    }

    record Case(String method, String path, String token, String body, String field, String problem) {}

    @Test
    void aValueOfTheWrongJsonTypeIsRefusedNamingTheFieldOnEveryRouteThatTakesABody() {
        var admin = GatewayFixture.ADMIN_TOKEN;
        var account = tenant.token();
        var id = "/v1/instances/" + instance.id();
        var cases = List.of(
                new Case("POST", "/v1/tenants", admin, "{\"name\":\"t\",\"max_instances\":2.9}", "max_instances",
                        "must be an integer"),
                new Case("POST", "/v1/tenants", admin, "{\"name\":\"t\",\"max_instances\":\"10\"}", "max_instances",
                        "must be an integer"),
                new Case("POST", "/v1/tenants", admin, "{\"name\":\"t\",\"max_instances\":null}", "max_instances",
                        "must be an integer"),
                new Case("POST", "/v1/tenants", admin, "{\"name\":7}", "name", "must be a string"),
                new Case("POST", "/v1/instances", account, "{\"name\":42}", "name", "must be a string"),
                new Case("POST", "/v1/instances", account, "{\"name\":\"m\",\"metadata\":[1]}", "metadata",
                        "must be an object"),
                new Case("PUT", id + "/settings", account, "{\"reject_calls\":null}", "reject_calls",
                        "must be a boolean"),
                new Case("PUT", id + "/settings", account, "{\"always_online\":\"true\"}", "always_online",
                        "must be a boolean"),
                new Case("PUT", id + "/settings", account, "{\"read_messages\":1}", "read_messages",
                        "must be a boolean"),
                new Case("PUT", id + "/settings", account, "{\"reject_call_message\":false}", "reject_call_message",
                        "must be a string"),
                new Case("PUT", "/v1/proxy", account,
                        "{\"protocol\":\"http\",\"host\":\"10.0.0.5\",\"port\":\"8080\"}", "port",
                        "must be an integer"),
                new Case("PUT", id + "/proxy", account,
                        "{\"protocol\":\"http\",\"host\":\"10.0.0.5\",\"port\":8080.5}", "port", "must be an integer"),
                new Case("POST", id + "/webhooks", account,
                        "{\"label\":\"a\",\"url\":\"http://127.0.0.1:9/h\",\"enabled\":\"yes\"}", "enabled",
                        "must be a boolean"),
                new Case("POST", id + "/webhooks", account,
                        "{\"label\":\"a\",\"url\":\"http://127.0.0.1:9/h\",\"events\":\"message.exchange\"}", "events",
                        "must be an array"),
                new Case("PUT", id + "/webhooks/a", account,
                        "{\"url\":\"http://127.0.0.1:9/h\",\"by_events\":0}", "by_events", "must be a boolean"),
                new Case("PUT", id + "/webhooks/a", account,
                        "{\"url\":\"http://127.0.0.1:9/h\",\"headers\":{\"X-A\":1}}", "headers.X-A",
                        "must be a string"),
                new Case("PUT", id + "/webhooks/a", account,
                        "{\"url\":\"http://127.0.0.1:9/h\",\"events\":[\"message.exchange\",null]}", "events[1]",
                        "must be a string"),
                new Case("PUT", id + "/webhooks/a", account,
                        "{\"url\":\"http://127.0.0.1:9/h\",\"headers\":{\"X-A\":null}}", "headers.X-A",
                        "must be a string"),
                new Case("PUT", id + "/websocket", account, "{\"enabled\":null}", "enabled", "must be a boolean"),
                new Case("PUT", id + "/websocket", account, "{\"enabled\":true,\"media_base64\":\"false\"}",
                        "media_base64", "must be a boolean"),
                new Case("PUT", id + "/chatwoot", account,
                        "{\"base_url\":\"http://127.0.0.1:9\",\"account_id\":1.5,\"api_token\":\"t\"}", "account_id",
                        "must be an integer"),
                new Case("PUT", id + "/s3", account, "{\"bucket\":42}", "bucket", "must be a string"),
                new Case("PUT", id + "/s3", account, "{\"bucket\":\"b\",\"path_style\":\"yes\"}", "path_style",
                        "must be a boolean"),
                new Case("POST", id + "/pair-code", account, "{\"phone_number\":5511987650001}", "phone_number",
                        "must be a string"),
                new Case("POST", "/v1/sandbox/phones", admin, "{\"phone_number\":5511987650001}", "phone_number",
                        "must be a string"),
                new Case("POST", "/v1/sandbox/phones/5511987650001/scan", admin, "{\"qr\":[]}", "qr",
                        "must be a string"),
                new Case("POST", "/v1/sandbox/phones/5511987650001/link-code", admin, "{\"code\":12345678}", "code",
                        "must be a string"));
        var softly = new SoftAssertions();
        for (var c : cases) {
            var response = http.send(c.method(), c.path(), c.token(), c.body(), Map.of());
            var what = c.method() + " " + c.path() + " " + c.body() + " -> " + response;
            softly.assertThat(response.status()).as(what).isEqualTo(400);
            if (response.status() == 400) {
                var json = response.json();
                softly.assertThat(json.get("error_code").asText()).as(what).isEqualTo("VALIDATION_ERROR");
                softly.assertThat(json.at("/details/0/field").asText()).as(what).isEqualTo(c.field());
                softly.assertThat(json.at("/details/0/problem").asText()).as(what).startsWith(c.problem());
            }
        }
        softly.assertAll();
    }

    @Test
    void aRefusedValueChangesNothing() {
        var settings = "/v1/instances/" + instance.id() + "/settings";
        assertThat(http.put(settings, tenant.token(), "{\"reject_calls\":true}").status()).isEqualTo(200);

        assertEnvelope(http.put(settings, tenant.token(), "{\"reject_calls\":null}"), 400, "VALIDATION_ERROR");
        assertEnvelope(http.put(settings, tenant.token(), "{\"reject_calls\":0}"), 400, "VALIDATION_ERROR");

        assertThat(http.get(settings, tenant.token()).json().at("/settings/reject_calls").asBoolean()).isTrue();
        var tenants = http.get("/v1/tenants?limit=100", GatewayFixture.ADMIN_TOKEN).json().get("data");
        assertThat(tenants.findValuesAsText("name")).containsOnly("types");
    }

    @Test
    void aDuplicateKeyIsRefusedAsMalformedAndChangesNothing() {
        var settings = "/v1/instances/" + instance.id() + "/settings";
        assertThat(http.put(settings, tenant.token(), "{\"read_messages\":false}").status()).isEqualTo(200);

        assertEnvelope(http.put(settings, tenant.token(), "{\"read_messages\":true,\"read_messages\":false}"), 400,
                "MALFORMED_JSON");
        assertEnvelope(http.post("/v1/instances", tenant.token(), "{\"name\":\"a\",\"name\":\"b\"}"), 400,
                "MALFORMED_JSON");

        assertThat(http.get(settings, tenant.token()).json().at("/settings/read_messages").asBoolean()).isFalse();
    }

    @Test
    void anInlineBlockOfTheWrongTypeIsReportedInItsPlaceNamingTheField() {
        var response = http.post("/v1/instances", tenant.token(),
                "{\"name\":\"inline-typed\",\"settings\":{\"reject_calls\":\"yes\"}}");

        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        assertThat(response.json().at("/settings/status").asText()).isEqualTo("error");
        assertThat(response.json().at("/settings/error").asText()).contains("reject_calls must be a boolean");
    }

    @Test
    void theNulCharacterIsRefusedWhereverItIsAndNothingIsStored() {
        var account = tenant.token();
        var id = "/v1/instances/" + instance.id();
        var nul = "\\u0000";
        var cases = List.of(
                new Case("POST", "/v1/tenants", GatewayFixture.ADMIN_TOKEN,
                        "{\"name\":\"nul" + nul + "byte\",\"max_instances\":1}", "name", "NUL"),
                new Case("POST", "/v1/instances", account,
                        "{\"name\":\"nul-meta\",\"metadata\":{\"team\":\"a" + nul + "b\"}}", "metadata.team",
                        "NUL"),
                new Case("POST", "/v1/instances", account,
                        "{\"name\":\"nul-block\",\"chatwoot\":{\"enabled\":true,\"url\":\"http://x" + nul
                                + "\"}}", "chatwoot.url", "NUL"),
                new Case("PUT", id + "/settings", account, "{\"reject_call_message\":\"a" + nul + "b\"}",
                        "reject_call_message", "NUL"),
                new Case("POST", id + "/webhooks", account, "{\"name\":\"n\",\"url\":\"https://example.com/h\","
                        + "\"headers\":{\"X-A\":\"a" + nul + "b\"}}", "headers.X-A", "NUL"));
        var soft = new SoftAssertions();
        for (var c : cases) {
            var response = http.send(c.method(), c.path(), c.token(), c.body(), Map.of());
            soft.assertThat(response.status()).as(c + " -> " + response).isEqualTo(400);
            soft.assertThat(response.json().at("/details/0/field").asText()).as(c.toString()).isEqualTo(c.field());
            soft.assertThat(response.json().at("/details/0/problem").asText()).as(c.toString()).contains(c.problem());
        }
        soft.assertAll();
        var names = http.get("/v1/instances?limit=100", account).json().get("data").findValuesAsText("name");
        assertThat(names).doesNotContain("nul-meta", "nul-block");
    }
}
