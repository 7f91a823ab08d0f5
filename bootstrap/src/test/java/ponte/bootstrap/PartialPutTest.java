package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every PUT of a configuration block is a partial update, as settings always was: the fields sent change, the
 * others keep their stored value. A second PUT carrying one field proves it for each block.
 */
class PartialPutTest {
    private static final String CHATWOOT_TOKEN = "partial-chatwoot-token-7c1";

    @RegisterExtension
    static final GatewayFixture gateway =
            GatewayFixture.perClass(java.util.Map.of("PONTE_PUBLIC_URL", "https://ponte.example.com"));

    private static FakeChatwoot chatwoot;
    private static Http http;
    private static GatewayFixture.Tenant tenant;

    @BeforeAll
    static void start() {
        chatwoot = new FakeChatwoot(CHATWOOT_TOKEN, 4);
        http = gateway.http();
        tenant = gateway.newTenant("partial");
    }

    @AfterAll
    static void stop() {
        chatwoot.close();
    }

    @Test
    void settings() {
        var path = path("settings-block", "/settings");
        put(path, "{\"reject_calls\": true, \"reject_call_message\": \"busy\", \"ignore_groups\": true}");
        var settings = put(path, "{\"always_online\": true}").get("settings");
        assertThat(settings.get("reject_calls").asBoolean()).isTrue();
        assertThat(settings.get("reject_call_message").asText()).isEqualTo("busy");
        assertThat(settings.get("ignore_groups").asBoolean()).isTrue();
        assertThat(settings.get("always_online").asBoolean()).isTrue();
    }

    @Test
    void chatwoot() {
        var path = path("chatwoot-block", "/chatwoot");
        put(path, """
                {"base_url": "%s", "account_id": 4, "api_token": "%s", "inbox_name": "First",
                 "sign_messages": true, "ignore_groups": true, "reopen_resolved": true}"""
                .formatted(chatwoot.baseUrl(), CHATWOOT_TOKEN));

        var view = put(path, "{\"conversation_pending\": true}").get("chatwoot");

        assertThat(view.get("status").asText()).isEqualTo("ok");
        assertThat(view.get("inbox_name").asText()).isEqualTo("First");
        assertThat(view.get("account_id").asLong()).isEqualTo(4);
        assertThat(view.get("sign_messages").asBoolean()).isTrue();
        assertThat(view.get("ignore_groups").asBoolean()).isTrue();
        assertThat(view.get("reopen_resolved").asBoolean()).isTrue();
        assertThat(view.get("conversation_pending").asBoolean()).isTrue();
        assertThat(get(path).get("chatwoot")).isEqualTo(view);
    }

    @Test
    void s3() {
        var path = path("s3-block", "/s3");
        put(path, """
                {"enabled": false, "region": "eu-west-1", "bucket": "media", "access_key_id": "AKIA",
                 "secret_access_key": "s3-secret", "endpoint": "http://minio.example:9000", "prefix": "wa/"}""");

        var view = put(path, "{\"bucket\": \"archive\", \"prefix\": \"\"}").get("s3");

        assertThat(view.get("enabled").asBoolean()).isFalse();
        assertThat(view.get("region").asText()).isEqualTo("eu-west-1");
        assertThat(view.get("bucket").asText()).isEqualTo("archive");
        assertThat(view.get("access_key_id").asText()).isEqualTo("AKIA");
        assertThat(view.get("endpoint").asText()).isEqualTo("http://minio.example:9000");
        assertThat(view.get("path_style").asBoolean()).isTrue();
        assertThat(view.get("prefix").asText()).isEmpty();
    }

    @Test
    void webhook() {
        var path = path("webhook-block", "/webhooks/crm");
        put(path, """
                {"url": "https://crm.example.com/hook", "events": ["instance.state"], "by_events": true,
                 "media_base64": true, "headers": {"X-Ref": "a"}, "authorization": "Bearer x"}""");

        var view = put(path, "{\"enabled\": false}").get("webhook");

        assertThat(view.get("enabled").asBoolean()).isFalse();
        assertThat(view.get("url").asText()).isEqualTo("https://crm.example.com/hook");
        assertThat(view.get("events")).extracting(JsonNode::asText).containsExactly("instance.state");
        assertThat(view.get("by_events").asBoolean()).isTrue();
        assertThat(view.get("media_base64").asBoolean()).isTrue();
        assertThat(view.at("/headers/X-Ref").asText()).isEqualTo("a");
        assertThat(view.get("authorization").asText()).isEqualTo("***");
    }

    @Test
    void websocket() {
        var path = path("websocket-block", "/websocket");
        assertThat(http.put(path, tenant.token(), "{\"media_base64\": true}").status())
                .as("enabled is required the first time").isEqualTo(400);
        put(path, "{\"enabled\": true, \"events\": [\"instance.state\"]}");

        var view = put(path, "{\"media_base64\": true}").get("websocket");

        assertThat(view.get("enabled").asBoolean()).isTrue();
        assertThat(view.get("events")).extracting(JsonNode::asText).containsExactly("instance.state");
        assertThat(view.get("media_base64").asBoolean()).isTrue();
    }

    @Test
    void instanceProxy() {
        var path = path("proxy-block", "/proxy");
        put(path, "{\"protocol\": \"socks5\", \"host\": \"proxy.example\", \"port\": 1080, \"username\": \"u\", "
                + "\"password\": \"wrong\"}");

        var view = put(path, "{\"password\": \"right\"}");

        assertThat(view.get("proxy_url").asText()).isEqualTo("socks5://u:***@proxy.example:1080");
        var whole = put(path, "{\"proxy_url\": \"http://other.example:3128\"}");
        assertThat(whole.get("proxy_url").asText()).isEqualTo("http://other.example:3128");
    }

    @Test
    void tenantProxy() {
        var own = gateway.newTenant("partial-proxy");
        http.put("/v1/proxy", own.token(), "{\"proxy_url\": \"socks5://u:p@proxy.example:1080\"}");

        var view = http.put("/v1/proxy", own.token(), "{\"port\": 1081}");

        assertThat(view.status()).as(view.toString()).isEqualTo(200);
        assertThat(view.json().get("proxy_url").asText()).isEqualTo("socks5://u:***@proxy.example:1081");
    }

    private static String path(String instance, String block) {
        gateway.newInstance(tenant, instance);
        return "/v1/instances/" + instance + block;
    }

    private static JsonNode put(String path, String body) {
        var response = http.put(path, tenant.token(), body);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    private static JsonNode get(String path) {
        return http.get(path, tenant.token()).json();
    }
}
