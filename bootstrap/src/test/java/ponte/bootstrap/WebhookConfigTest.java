package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Webhook and WebSocket configuration through the HTTP API, as the contract defines it. */
class WebhookConfigTest {
    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass();
    private static Http http;
    private static GatewayFixture.Tenant tenant;

    @BeforeAll
    static void start() {
        http = gateway.http();
        tenant = gateway.newTenant("config");
    }

    @Test
    void aGeneratedSecretIsShownOnceAndWriteOnlyValuesAreMaskedAfterwards() {
        var instance = gateway.newInstance(tenant, "secret-once");
        var created = http.post(path(instance, "/webhooks"), tenant.token(), """
                {"label":"crm","url":"http://127.0.0.1:9/hook","authorization":"Bearer receiver-token"}""");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        var secret = created.json().at("/webhook/secret").asText();
        assertThat(secret).startsWith("whsec_").hasSizeGreaterThan(40);
        assertThat(created.json().at("/webhook/authorization").asText()).isEqualTo("***");
        var read = http.get(path(instance, "/webhooks/crm"), tenant.token());
        assertThat(read.json().at("/webhook/secret").asText()).isEqualTo("***");
        assertThat(read.json().at("/webhook/authorization").asText()).isEqualTo("***");
        assertThat(read.body()).doesNotContain(secret).doesNotContain("receiver-token");
    }

    @Test
    void aWebhookDefaultsToEnabledForEveryEvent() {
        var instance = gateway.newInstance(tenant, "defaults");
        var created = http.post(path(instance, "/webhooks"), tenant.token(),
                "{\"label\":\"all\",\"url\":\"https://example.com/in\"}").json().get("webhook");
        assertThat(created.get("enabled").asBoolean()).isTrue();
        assertThat(created.get("events")).isEmpty();
        assertThat(created.get("by_events").asBoolean()).isFalse();
        assertThat(created.get("authorization").isNull()).isTrue();
    }

    @Test
    void secretsAndAuthorizationValuesAreSealedInTheDatabase() throws Exception {
        var instance = gateway.newInstance(tenant, "sealed");
        http.post(path(instance, "/webhooks"), tenant.token(), """
                {"label":"a","url":"http://127.0.0.1:9/","secret":"my-own-secret-0123456789",
                 "authorization":"Basic plain-authorization-value"}""");
        try (var connection = gateway.database().dataSource().getConnection();
             var rows = connection.createStatement().executeQuery(
                     "select secret_sealed, authorization_sealed from webhooks where label = 'a'")) {
            assertThat(rows.next()).isTrue();
            assertThat(new String(rows.getBytes(1), java.nio.charset.StandardCharsets.ISO_8859_1))
                    .doesNotContain("my-own-secret");
            assertThat(new String(rows.getBytes(2), java.nio.charset.StandardCharsets.ISO_8859_1))
                    .doesNotContain("plain-authorization");
        }
    }

    @Test
    void aFourthEnabledWebhookIsRefusedButADisabledOneIsKept() {
        var instance = gateway.newInstance(tenant, "three-max");
        for (var label : new String[] {"one", "two", "three"}) {
            assertThat(http.post(path(instance, "/webhooks"), tenant.token(),
                    "{\"label\":\"" + label + "\",\"url\":\"http://127.0.0.1:9/\"}").status()).isEqualTo(201);
        }
        var fourth = http.post(path(instance, "/webhooks"), tenant.token(),
                "{\"label\":\"four\",\"url\":\"http://127.0.0.1:9/\"}");
        ErrorEnvelopeTest.assertEnvelope(fourth, 400, "VALIDATION_ERROR");
        assertThat(fourth.json().at("/details/0/field").asText()).isEqualTo("enabled");
        assertThat(http.post(path(instance, "/webhooks"), tenant.token(),
                "{\"label\":\"four\",\"url\":\"http://127.0.0.1:9/\",\"enabled\":false}").status()).isEqualTo(201);
        assertThat(http.get(path(instance, "/webhooks"), tenant.token()).json().get("data")).hasSize(4);
    }

    @Test
    void aDuplicateLabelIsAConflict() {
        var instance = gateway.newInstance(tenant, "dup-label");
        http.post(path(instance, "/webhooks"), tenant.token(), "{\"label\":\"x\",\"url\":\"http://127.0.0.1:9/\"}");
        ErrorEnvelopeTest.assertEnvelope(http.post(path(instance, "/webhooks"), tenant.token(),
                "{\"label\":\"x\",\"url\":\"http://127.0.0.1:9/\"}"), 409, "CONFLICT");
    }

    @Test
    void putChangesAWebhookPartiallyAndKeepsItsSecretWhenNoneIsSent() {
        var instance = gateway.newInstance(tenant, "put-keeps");
        var first = http.put(path(instance, "/webhooks/main"), tenant.token(),
                "{\"url\":\"http://127.0.0.1:9/a\",\"events\":[\"message.exchange\"]}");
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.json().at("/webhook/secret").asText()).startsWith("whsec_");
        var second = http.put(path(instance, "/webhooks/main"), tenant.token(),
                "{\"url\":\"http://127.0.0.1:9/b\",\"by_events\":true}");
        assertThat(second.json().at("/webhook/secret").asText()).isEqualTo("***");
        assertThat(second.json().at("/webhook/url").asText()).isEqualTo("http://127.0.0.1:9/b");
        assertThat(second.json().at("/webhook/events")).extracting(JsonNode::asText)
                .containsExactly("message.exchange");
        var all = http.put(path(instance, "/webhooks/main"), tenant.token(), "{\"events\":[]}");
        assertThat(all.json().at("/webhook/events")).isEmpty();
        assertThat(http.delete(path(instance, "/webhooks/main"), tenant.token()).status()).isEqualTo(204);
        ErrorEnvelopeTest.assertEnvelope(http.get(path(instance, "/webhooks/main"), tenant.token()), 404,
                "NOT_FOUND");
    }

    @Test
    void onlyHttpUrlsAreAccepted() {
        var instance = gateway.newInstance(tenant, "schemes");
        for (var url : new String[] {"ftp://example.com/x", "file:///etc/passwd", "not a url", "javascript:alert(1)"}) {
            var response = http.post(path(instance, "/webhooks"), tenant.token(),
                    "{\"label\":\"s\",\"url\":\"" + url + "\"}");
            ErrorEnvelopeTest.assertEnvelope(response, 400, "VALIDATION_ERROR");
            assertThat(response.json().at("/details/0/field").asText()).isEqualTo("url");
        }
    }

    @Test
    void linkLocalAndCloudMetadataTargetsAreRefusedWithAClearErrorEvenWhenPrivateTargetsAreAllowed() {
        var instance = gateway.newInstance(tenant, "ssrf");
        for (var url : new String[] {"http://169.254.169.254/latest/meta-data", "http://[fd00:ec2::254]/",
                "http://metadata.google.internal/computeMetadata/v1/", "http://169.254.10.1:8080/"}) {
            var response = http.post(path(instance, "/webhooks"), tenant.token(),
                    "{\"label\":\"m\",\"url\":\"" + url + "\"}");
            ErrorEnvelopeTest.assertEnvelope(response, 400, "VALIDATION_ERROR");
            assertThat(response.json().at("/details/0/problem").asText())
                    .contains("link-local or cloud-metadata").contains("PONTE_EGRESS_ALLOW_LINK_LOCAL");
        }
        // the fixture sets PONTE_EGRESS_ALLOW_PRIVATE=true for the tests' own receivers
        assertThat(http.post(path(instance, "/webhooks"), tenant.token(),
                "{\"label\":\"local\",\"url\":\"http://127.0.0.1:8081/hook\"}").status()).isEqualTo(201);
    }

    @Test
    void unknownEventTypesAreRefused() {
        var instance = gateway.newInstance(tenant, "bad-events");
        var webhook = http.post(path(instance, "/webhooks"), tenant.token(),
                "{\"label\":\"e\",\"url\":\"http://127.0.0.1:9/\","
                        + "\"events\":[\"message.exchange\",\"messages.upsert\"]}");
        ErrorEnvelopeTest.assertEnvelope(webhook, 400, "VALIDATION_ERROR");
        assertThat(webhook.json().at("/details/0/field").asText()).isEqualTo("events[1]");
        ErrorEnvelopeTest.assertEnvelope(http.put(path(instance, "/websocket"), tenant.token(),
                "{\"enabled\":true,\"events\":[\"nope\"]}"), 400, "VALIDATION_ERROR");
    }

    @Test
    void theWebSocketConfigIsNotFoundUntilConfiguredAndDisablingClearsItButKeepsTheRow() {
        var instance = gateway.newInstance(tenant, "ws-config");
        ErrorEnvelopeTest.assertEnvelope(http.get(path(instance, "/websocket"), tenant.token()), 404, "NOT_FOUND");
        var enabled = http.put(path(instance, "/websocket"), tenant.token(),
                "{\"enabled\":true,\"events\":[\"message.exchange\"],\"media_base64\":true}");
        assertThat(enabled.status()).as(enabled.toString()).isEqualTo(200);
        assertThat(enabled.json().at("/websocket/events/0").asText()).isEqualTo("message.exchange");
        http.put(path(instance, "/websocket"), tenant.token(), "{\"enabled\":false,\"events\":[\"call.update\"]}");
        var read = http.get(path(instance, "/websocket"), tenant.token()).json().get("websocket");
        assertThat(read.get("enabled").asBoolean()).isFalse();
        assertThat(read.get("events")).isEmpty();
        assertThat(read.get("media_base64").asBoolean()).isFalse();
    }

    @Test
    void anInstanceTokenManagesItsOwnConfigurationButSiblingsAreNotFound() {
        var own = gateway.newInstance(tenant, "own-config");
        var sibling = gateway.newInstance(tenant, "sibling-config");
        assertThat(http.post(path(own, "/webhooks"), own.token(),
                "{\"label\":\"mine\",\"url\":\"http://127.0.0.1:9/\"}").status()).isEqualTo(201);
        assertThat(http.put(path(own, "/websocket"), own.token(), "{\"enabled\":true}").status()).isEqualTo(200);
        ErrorEnvelopeTest.assertEnvelope(http.get(path(sibling, "/webhooks"), own.token()), 404, "NOT_FOUND");
        ErrorEnvelopeTest.assertEnvelope(http.put(path(sibling, "/websocket"), own.token(), "{\"enabled\":true}"),
                404, "NOT_FOUND");
        var stranger = gateway.newTenant("stranger");
        ErrorEnvelopeTest.assertEnvelope(http.get(path(own, "/webhooks"), stranger.token()), 404, "NOT_FOUND");
    }

    @Test
    void inlineBlocksAreAppliedIndependentlyAndAFailingOneIsReportedInItsPlace() {
        var created = http.post("/v1/instances", tenant.token(), """
                {"name":"inline-ok","webhook":{"url":"http://127.0.0.1:9/in","events":["instance.state"]},
                 "websocket":{"enabled":true,"events":["message.exchange"]}}""");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        var json = created.json();
        assertThat(json.at("/webhook/label").asText()).isEqualTo("default");
        assertThat(json.at("/webhook/secret").asText()).startsWith("whsec_");
        assertThat(json.at("/websocket/enabled").asBoolean()).isTrue();
        var failing = http.post("/v1/instances", tenant.token(), """
                {"name":"inline-bad","webhook":{"url":"http://169.254.169.254/"},"websocket":{"enabled":true}}""");
        assertThat(failing.status()).isEqualTo(201);
        assertThat(failing.json().at("/webhook/status").asText()).isEqualTo("error");
        assertThat(failing.json().at("/webhook/error").asText()).contains("url");
        assertThat(failing.json().at("/websocket/enabled").asBoolean()).isTrue();
    }

    @Test
    void theInstanceShowsItsWebhooksAndWebSocketAsIntegrations() {
        var created = http.post("/v1/instances", tenant.token(), """
                {"name":"integrations","webhook":{"url":"http://127.0.0.1:9/x","authorization":"k"}}""");
        var id = created.json().at("/instance/id").asText();
        var instance = http.get("/v1/instances/" + id, tenant.token()).json().get("instance");
        assertThat(instance.at("/integrations/webhooks/0/label").asText()).isEqualTo("default");
        assertThat(instance.at("/integrations/webhooks/0/secret").asText()).isEqualTo("***");
        assertThat(instance.at("/integrations/webhooks/0/authorization").asText()).isEqualTo("***");
        assertThat(instance.at("/integrations/websocket").isNull()).isTrue();
    }

    @Test
    void theEventTypesAreListed() {
        var types = http.get("/v1/events/types", tenant.token()).json().get("data");
        assertThat(types).extracting(node -> node.get("name").asText()).containsExactly("message.exchange",
                "message.status", "call.update", "group.flow", "instance.state", "label.update");
    }

    @Test
    void byDefaultLoopbackAndPrivateTargetsAreRefusedAndTheOldSettingStillAllowsThemButNotMetadata() {
        try (var strict = GatewayFixture.start(Map.of("PONTE_EGRESS_ALLOW_PRIVATE", "false"))) {
            var owner = strict.newTenant("strict");
            var instance = strict.newInstance(owner, "strict");
            for (var url : new String[] {"http://127.0.0.1:8081/hook", "http://localhost/x", "http://10.0.0.5/",
                    "http://2130706433/", "http://[::ffff:127.0.0.1]/"}) {
                var response = strict.http().post(path(instance, "/webhooks"), owner.token(),
                        "{\"label\":\"p\",\"url\":\"" + url + "\"}");
                ErrorEnvelopeTest.assertEnvelope(response, 400, "VALIDATION_ERROR");
                assertThat(response.json().at("/details/0/problem").asText()).as(url)
                        .contains("loopback or private-network").contains("PONTE_EGRESS_ALLOW_PRIVATE=true");
            }
        }
        try (var legacy = GatewayFixture.start(Map.of("PONTE_EGRESS_ALLOW_PRIVATE", "false",
                "PONTE_WEBHOOK_ALLOW_PRIVATE_TARGETS", "true"))) {
            var owner = legacy.newTenant("legacy");
            var instance = legacy.newInstance(owner, "legacy");
            assertThat(legacy.http().post(path(instance, "/webhooks"), owner.token(),
                    "{\"label\":\"l\",\"url\":\"http://127.0.0.1:8081/hook\"}").status()).isEqualTo(201);
            assertThat(legacy.http().post(path(instance, "/webhooks"), owner.token(),
                    "{\"label\":\"m\",\"url\":\"http://169.254.169.254/\"}").status()).isEqualTo(400);
        }
    }

    @Test
    void metadataTargetsNeedTheirOwnExplicitSetting() {
        try (var permissive = GatewayFixture.start(Map.of("PONTE_EGRESS_ALLOW_LINK_LOCAL", "true"))) {
            var owner = permissive.newTenant("permissive");
            var instance = permissive.newInstance(owner, "metadata-ok");
            assertThat(permissive.http().post(path(instance, "/webhooks"), owner.token(),
                    "{\"label\":\"m\",\"url\":\"http://169.254.169.254/\"}").status()).isEqualTo(201);
        }
    }

    static String path(GatewayFixture.Instance instance, String rest) {
        return "/v1/instances/" + instance.id() + rest;
    }
}
