package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The served OpenAPI document describes every configuration route and field, and no secret as readable. */
class ConfigurationOpenApiTest {
    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass();
    private static JsonNode document;

    @BeforeAll
    static void start() {
        document = gateway.http().get("/openapi.json", null).json();
    }

    @Test
    void everyConfigurationRouteIsDocumented() {
        var paths = document.get("paths");
        assertThat(paths.get("/v1/proxy").properties()).extracting(java.util.Map.Entry::getKey)
                .contains("get", "put", "delete");
        for (var path : new String[] {"/v1/instances/{id}/proxy", "/v1/instances/{id}/chatwoot",
                "/v1/instances/{id}/s3"}) {
            assertThat(paths.get(path).properties()).as(path).extracting(java.util.Map.Entry::getKey)
                    .contains("get", "put", "delete");
        }
        assertThat(paths.get("/v1/instances/{id}/settings").properties()).extracting(java.util.Map.Entry::getKey)
                .contains("get", "put");
    }

    @Test
    void everyRequestFieldIsDocumented() {
        assertThat(fields("ProxyDtosProxyBody")).contains("proxy_url", "protocol", "host", "port", "username",
                "password");
        assertThat(fields("SettingsDtosSettingsBody")).contains("reject_calls", "reject_call_message",
                "ignore_groups", "always_online", "read_messages", "skip_history_sync", "ignore_status");
        assertThat(fields("IntegrationDtosChatwootBody")).contains("enabled", "base_url", "account_id", "api_token",
                "inbox_name", "sign_messages", "ignore_groups", "conversation_pending", "reopen_resolved");
        assertThat(fields("IntegrationDtosS3Body")).contains("enabled", "region", "bucket", "access_key_id",
                "secret_access_key", "endpoint", "prefix", "path_style");
    }

    @Test
    void secretsAreDocumentedAsWriteOnlyAndAbsentFromResponses() {
        var schemas = document.at("/components/schemas");
        assertThat(schemas.at("/IntegrationDtosChatwootBody/properties/api_token/description").asText())
                .contains("Write-only");
        assertThat(schemas.at("/IntegrationDtosS3Body/properties/secret_access_key/description").asText())
                .contains("Write-only");
        assertThat(fields("IntegrationDtosChatwootView")).doesNotContain("api_token").contains("status",
                "status_reason", "inbox_id");
        assertThat(fields("IntegrationDtosS3View")).doesNotContain("secret_access_key").contains("status");
    }

    private static java.util.List<String> fields(String schema) {
        var properties = document.at("/components/schemas/" + schema + "/properties");
        assertThat(properties.isObject()).as(schema + " is documented").isTrue();
        return properties.propertyStream().map(java.util.Map.Entry::getKey).toList();
    }

    @Test
    void theInlineBlocksOfInstanceCreationAreDocumentedWithTheirRoutesShapes() {
        var create = document.at("/components/schemas/InstanceDtosCreateInstance/properties");
        assertThat(create.at("/proxy/anyOf/0/$ref").asText()).endsWith("/ProxyDtosProxyBody");
        assertThat(create.at("/settings/anyOf/0/$ref").asText()).endsWith("/SettingsDtosSettingsBody");
        assertThat(create.at("/webhook/anyOf/0/$ref").asText()).endsWith("/WebhookDtosWebhookBody");
        assertThat(create.at("/websocket/anyOf/0/$ref").asText()).endsWith("/WebhookDtosWebSocketBody");
        assertThat(create.at("/chatwoot/anyOf/0/$ref").asText()).endsWith("/IntegrationDtosChatwootBody");
        assertThat(create.at("/s3/anyOf/0/$ref").asText()).endsWith("/IntegrationDtosS3Body");
        assertThat(create.at("/s3/anyOf/1/type").asText()).isEqualTo("null");
    }

    @Test
    void eventFiltersListTheEventTypesAClientMayName() {
        var events = document.at("/components/schemas/WebhookDtosWebhookBody/properties/events/items/enum");
        var names = new java.util.ArrayList<String>();
        events.forEach(name -> names.add(name.asText()));
        assertThat(names).contains("message.exchange", "instance.state")
                .containsExactlyInAnyOrderElementsOf(gateway.http().get("/v1/events/types", GatewayFixture.ADMIN_TOKEN).json()
                        .findValuesAsText("name"));
    }
}
