package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OperationsTest {
    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass();
    private static Http http;

    @BeforeAll
    static void start() {
        http = gateway.http();
    }

    @Test
    void healthAndReadinessAnswerWithoutAToken() {
        assertThat(http.get("/healthz", null).json().get("status").asText()).isEqualTo("up");
        assertThat(http.get("/readyz", null).json().get("status").asText()).isEqualTo("ready");
    }

    @Test
    void metricsCountRequestsPerRouteTemplateWithLatencies() {
        var tenant = gateway.newTenant("metrics");
        http.get("/v1/instances/some-name", tenant.token());
        var metrics = http.get("/metrics", null);
        assertThat(metrics.header("Content-Type")).startsWith("text/plain");
        assertThat(metrics.body())
                .contains("http_server_requests_seconds_count{method=\"GET\",status=\"404\",uri=\"/v1/instances/{id}\"}")
                .contains("http_server_requests_seconds_bucket")
                .contains("jvm_memory_used_bytes")
                .doesNotContain("some-name");
    }

    @Test
    void everyRegisteredRouteIsInTheOpenApiDocument() {
        var document = http.get("/openapi.json", null).json();
        assertThat(document.get("openapi").asText()).isEqualTo("3.1.0");
        var documented = new HashSet<String>();
        for (Iterator<String> paths = document.get("paths").fieldNames(); paths.hasNext(); ) {
            var path = paths.next();
            for (Iterator<String> methods = document.get("paths").get(path).fieldNames(); methods.hasNext(); ) {
                documented.add(methods.next().toUpperCase(Locale.ROOT) + " " + path);
            }
        }
        assertThat(gateway.gateway().registeredRoutes()).isNotEmpty().allSatisfy(route ->
                assertThat(documented).as("documented routes").contains(route));
    }

    @Test
    void everyOperationDocumentsItsErrorsWithTheEnvelope() {
        var document = http.get("/openapi.json", null).json();
        var create = document.at("/paths/~1v1~1instances/post");
        assertThat(create.at("/responses/201/content/application~1json/schema/$ref").asText())
                .isEqualTo("#/components/schemas/InstanceDtosCreated");
        assertThat(create.at("/responses/429/content/application~1json/schema/$ref").asText())
                .isEqualTo("#/components/schemas/ErrorBody");
        assertThat(document.at("/components/schemas/InstanceDtosCreateInstance/properties/name/description").asText())
                .contains("1-64");
    }

    @Test
    void theDocsPageLoadsSwaggerUiFromTheGateway() {
        var page = http.get("/docs", null);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.body()).contains("/openapi.json").contains("/docs/assets/swagger-ui-bundle.js");
        var bundle = http.get("/docs/assets/swagger-ui-bundle.js", null);
        assertThat(bundle.status()).isEqualTo(200);
        assertThat(bundle.body().length()).isGreaterThan(100_000);
        assertThat(http.get("/docs/assets/..%2Fpom.properties", null).status()).isEqualTo(404);
    }
}
