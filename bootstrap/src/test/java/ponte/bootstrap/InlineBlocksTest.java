package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The configuration blocks of POST /v1/instances: each applied independently, failures reported in place. */
class InlineBlocksTest {
    private static final String CHATWOOT_TOKEN = "inline-chatwoot-token-51d";

    private static FakeChatwoot chatwoot;
    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass(
            Map.of("PONTE_PUBLIC_URL", "https://ponte.example.com"));
    private static Http http;
    private static GatewayFixture.Tenant tenant;

    @BeforeAll
    static void start() {
        chatwoot = new FakeChatwoot(CHATWOOT_TOKEN, 1);
        http = gateway.http();
        tenant = gateway.newTenant("inline");
    }

    @AfterAll
    static void stop() {
        chatwoot.close();
    }

    @Test
    void everyBlockIsAppliedAndShownMaskedInTheCreateResponse() {
        var response = http.post("/v1/instances", tenant.token(), """
                {"name": "complete",
                 "proxy": {"protocol": "socks5", "host": "proxy.example", "port": 1080, "username": "u",
                           "password": "inline-proxy-pw"},
                 "settings": {"reject_calls": true, "skip_history_sync": false},
                 "chatwoot": {"base_url": "%s", "account_id": 1, "api_token": "%s", "inbox_name": "Inline"},
                 "s3": {"bucket": "media", "access_key_id": "a", "secret_access_key": "inline-s3-secret",
                        "endpoint": "http://127.0.0.1:1", "enabled": false}}
                """.formatted(chatwoot.baseUrl(), CHATWOOT_TOKEN));

        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        var json = response.json();
        assertThat(json.at("/proxy/proxy_url").asText()).isEqualTo("socks5://u:***@proxy.example:1080");
        assertThat(json.at("/proxy/effective/source").asText()).isEqualTo("instance");
        assertThat(json.at("/proxy/reconnect").asText()).isEqualTo("offline");
        assertThat(json.at("/settings/reject_calls").asBoolean()).isTrue();
        assertThat(json.at("/settings/skip_history_sync").asBoolean()).isFalse();
        assertThat(json.at("/chatwoot/status").asText()).isEqualTo("ok");
        assertThat(json.at("/chatwoot/inbox_id").asLong()).isPositive();
        assertThat(json.at("/s3/status").asText()).isEqualTo("disabled");
        assertThat(json.get("webhook").isNull()).isTrue();
        assertThat(json.get("websocket").isNull()).isTrue();
        assertThat(response.body()).doesNotContain("inline-proxy-pw").doesNotContain(CHATWOOT_TOKEN)
                .doesNotContain("inline-s3-secret");
    }

    @Test
    void theBlocksAreStoredAsTheirOwnRoutesShowThem() {
        http.post("/v1/instances", tenant.token(), """
                {"name": "stored", "proxy": {"proxy_url": "http://proxy.example:3128"},
                 "settings": {"always_online": true}}""");

        assertThat(http.get("/v1/instances/stored/proxy", tenant.token()).json().get("proxy_url").asText())
                .isEqualTo("http://proxy.example:3128");
        assertThat(http.get("/v1/instances/stored/settings", tenant.token()).json().at("/settings/always_online")
                .asBoolean()).isTrue();
    }

    @Test
    void aFailingBlockIsReportedInItsPlaceWhileTheInstanceAndTheOtherBlocksAreCreated() {
        var response = http.post("/v1/instances", tenant.token(), """
                {"name": "partly",
                 "proxy": {"proxy_url": "ftp://proxy.example:21"},
                 "settings": {"ignore_groups": true},
                 "chatwoot": {"base_url": "%s", "account_id": 1, "api_token": "wrong", "inbox_name": "Nope"},
                 "s3": {"bucket": "media", "access_key_id": "a", "secret_access_key": "s",
                        "endpoint": "http://127.0.0.1:1"}}
                """.formatted(chatwoot.baseUrl()));

        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        var json = response.json();
        assertThat(json.at("/proxy/status").asText()).isEqualTo("error");
        assertThat(json.at("/proxy/error").asText()).contains("proxy_url");
        assertThat(json.at("/chatwoot/status").asText()).isEqualTo("error");
        assertThat(json.at("/chatwoot/error").asText()).contains("api_token");
        assertThat(json.at("/s3/status").asText()).isEqualTo("error");
        assertThat(json.at("/s3/error").asText()).contains("could not reach");
        assertThat(json.at("/settings/ignore_groups").asBoolean()).isTrue();
        assertThat(http.get("/v1/instances/partly", tenant.token()).status()).isEqualTo(200);
        assertThat(http.get("/v1/instances/partly/proxy", tenant.token()).json().get("proxy_url").isNull()).isTrue();
    }

    @Test
    void aFailedChatwootActivationKeepsItsConfigurationForALaterRetry() {
        http.post("/v1/instances", tenant.token(), """
                {"name": "retry-later",
                 "chatwoot": {"base_url": "%s", "account_id": 1, "api_token": "wrong", "inbox_name": "Later"}}
                """.formatted(chatwoot.baseUrl()));

        var stored = http.get("/v1/instances/retry-later/chatwoot", tenant.token()).json().get("chatwoot");

        assertThat(stored.get("status").asText()).isEqualTo("error");
        assertThat(stored.get("inbox_name").asText()).isEqualTo("Later");
    }

    @Test
    void aBlockOfTheWrongShapeIsAnErrorInItsPlace() {
        var response = http.post("/v1/instances", tenant.token(), """
                {"name": "wrong-shape", "settings": {"read_messages": "yes"}, "proxy": "socks5://h:1"}""");
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        assertThat(response.json().at("/settings/status").asText()).isEqualTo("error");
        assertThat(response.json().at("/settings/error").asText()).contains("read_messages");
        assertThat(response.json().at("/proxy/status").asText()).isEqualTo("error");
    }

    @Test
    void theInlineWebhookReceivesTheInstancesOwnCreatedEvent() {
        try (var receiver = Receiver.start()) {
            var response = http.post("/v1/instances", tenant.token(), """
                    {"name": "announced", "webhook": {"url": "%s", "events": ["instance.state"]},
                     "chatwoot": {"base_url": "%s", "account_id": 1, "api_token": "wrong", "inbox_name": "No"}}
                    """.formatted(receiver.url("/created"), chatwoot.baseUrl()));
            assertThat(response.status()).as(response.toString()).isEqualTo(201);
            assertThat(response.json().at("/chatwoot/status").asText()).isEqualTo("error");

            var created = receiver.await(1, Duration.ofSeconds(20)).getFirst().json();

            assertThat(created.get("event").asText()).isEqualTo("instance.state");
            assertThat(created.at("/data/type").asText()).isEqualTo("created");
            assertThat(created.at("/data/status").asText()).isEqualTo("pending");
            assertThat(created.get("instance_id").asText()).isEqualTo(response.json().at("/instance/id").asText());
        }
    }

    @Test
    void withoutBlocksEveryBlockIsNull() {
        var json = http.post("/v1/instances", tenant.token(), "{\"name\":\"bare\"}").json();
        for (var block : new String[] {"proxy", "settings", "webhook", "websocket", "chatwoot", "s3"}) {
            assertThat(json.get(block).isNull()).as(block).isTrue();
        }
    }
}
