package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ErrorEnvelopeTest {
    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass(Map.of("PONTE_MAX_BODY_BYTES", "4096"));
    private static Http http;
    private static GatewayFixture.Tenant tenant;

    @BeforeAll
    static void start() {
        http = gateway.http();
        tenant = gateway.newTenant("errors");
    }

    @Test
    void anUnknownRouteIsANotFoundEnvelope() {
        var response = http.get("/v1/nothing-here", null);
        assertEnvelope(response, 404, "NOT_FOUND");
    }

    /** Found by SchemaFuzzTest: Jetty refused these with an HTML page (GET) or an empty body (DELETE). */
    @Test
    void aPathTheServerWillNotDecodeIsAnEnvelopeWhateverTheMethod() {
        var tenant = gateway.newTenant("undecodable");
        for (var method : new String[] {"GET", "DELETE", "PUT"}) {
            for (var path : new String[] {"/v1/instances/%00", "/v1/instances/%FF%FE"}) {
                var response = http.send(method, path, tenant.token(), null, Map.of());
                assertEnvelope(response, 400, "VALIDATION_ERROR");
                assertThat(response.header("Connection")).isEqualTo("close");
            }
        }
    }

    /** Found by SchemaFuzzTest: GET /v1/instances?name=%00 was a 500 (PostgreSQL text cannot hold NUL). */
    @Test
    void aNulInAQueryParameterIsAValidationErrorNamingIt() {
        var tenant = gateway.newTenant("nul query");
        var response = http.get("/v1/instances?name=a%00b", tenant.token());
        assertEnvelope(response, 400, "VALIDATION_ERROR");
        assertThat(response.json().at("/details/0/field").asText()).isEqualTo("name");
    }

    @Test
    void aWrongMethodIsAMethodNotAllowedEnvelope() {
        var response = http.send("PATCH", "/healthz", null, null, Map.of());
        assertEnvelope(response, 405, "METHOD_NOT_ALLOWED");
    }

    @Test
    void malformedJsonIsRefusedAndCreatesNothing() {
        var response = http.post("/v1/instances", tenant.token(), "{\"name\": \"half");
        assertEnvelope(response, 400, "MALFORMED_JSON");
        assertThat(http.get("/v1/instances", tenant.token()).json().get("data")).isEmpty();
    }

    @Test
    void aBodyThatIsNotAnObjectIsMalformed() {
        assertEnvelope(http.post("/v1/instances", tenant.token(), "[1,2]"), 400, "MALFORMED_JSON");
        assertEnvelope(http.post("/v1/instances", tenant.token(), ""), 400, "MALFORMED_JSON");
    }

    @Test
    void anOversizedBodyIsPayloadTooLarge() {
        var big = "{\"name\":\"x\",\"metadata\":{\"blob\":\"" + "a".repeat(10_000) + "\"}}";
        assertEnvelope(http.post("/v1/instances", tenant.token(), big), 413, "PAYLOAD_TOO_LARGE");
    }

    @Test
    void validationErrorsListEveryFieldInDetails() {
        var response = http.post("/v1/instances", tenant.token(), "{\"name\":\"no spaces allowed\"}");
        assertEnvelope(response, 400, "VALIDATION_ERROR");
        assertThat(response.json().at("/details/0/field").asText()).isEqualTo("name");
        assertThat(response.json().at("/details/0/problem").asText()).contains("A-Z");
    }

    @Test
    void anUnknownFieldIsAValidationErrorNotIgnored() {
        var response = http.post("/v1/instances", tenant.token(), "{\"name\":\"ok\",\"colour\":\"red\"}");
        assertEnvelope(response, 400, "VALIDATION_ERROR");
        assertThat(response.json().at("/details/0/field").asText()).isEqualTo("colour");
    }

    @Test
    void aFieldOfTheWrongTypeNamesTheField() {
        var response = http.post("/v1/tenants", GatewayFixture.ADMIN_TOKEN, "{\"name\":\"x\",\"max_instances\":\"ten\"}");
        assertEnvelope(response, 400, "VALIDATION_ERROR");
        assertThat(response.json().at("/details/0/field").asText()).isEqualTo("max_instances");
    }

    @Test
    void everyResponseCarriesARequestIdAndEchoesASaneOne() {
        assertThat(http.get("/healthz", null).header("X-Request-Id")).isNotBlank();
        assertThat(http.get("/v1/nothing", null).header("X-Request-Id")).isNotBlank();
        var echoed = http.send("GET", "/healthz", null, null, Map.of("X-Request-Id", "trace-42"));
        assertThat(echoed.header("X-Request-Id")).isEqualTo("trace-42");
        var replaced = http.send("GET", "/healthz", null, null, Map.of("X-Request-Id", "bad id with spaces"));
        assertThat(replaced.header("X-Request-Id")).isNotEqualTo("bad id with spaces");
    }

    @Test
    void theEnvelopesRequestIdMatchesTheHeader() {
        var response = http.get("/v1/missing", null);
        assertThat(response.json().get("request_id").asText()).isEqualTo(response.header("X-Request-Id"));
    }

    static void assertEnvelope(Http.Response response, int status, String code) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        var json = response.json();
        assertThat(json.get("success").asBoolean()).isFalse();
        assertThat(json.get("error_code").asText()).isEqualTo(code);
        assertThat(json.get("error").asText()).isNotBlank();
        assertThat(json.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(json.get("request_id").asText()).isNotBlank();
    }
}
