package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static ponte.bootstrap.ErrorEnvelopeTest.assertEnvelope;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Chatwoot activation against a real HTTP server that speaks Chatwoot's application API. */
class ChatwootRoutesTest {
    private static final String TOKEN = "cw-agent-token-7f3a9";
    private static final long ACCOUNT = 3;
    private static final String PUBLIC_URL = "https://ponte.example.com";

    private static FakeChatwoot chatwoot;
    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass(Map.of("PONTE_PUBLIC_URL", PUBLIC_URL));
    private static Http http;
    private static GatewayFixture.Tenant tenant;

    @BeforeAll
    static void start() {
        chatwoot = new FakeChatwoot(TOKEN, ACCOUNT);
        http = gateway.http();
        tenant = gateway.newTenant("chatwoot");
    }

    @AfterAll
    static void stop() {
        chatwoot.close();
    }

    @Test
    void activationCreatesAnApiInboxWhoseWebhookPointsBackAtTheGateway() {
        var instance = gateway.newInstance(tenant, "support");

        var response = http.put("/v1/instances/support/chatwoot", tenant.token(), body("Support line", TOKEN, ACCOUNT));

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        var view = response.json().get("chatwoot");
        assertThat(view.get("status").asText()).isEqualTo("ok");
        var inbox = chatwoot.inboxes().stream().filter(i -> i.name().equals("Support line")).findFirst().orElseThrow();
        assertThat(view.get("inbox_id").asLong()).isEqualTo(inbox.id());
        assertThat(inbox.webhookUrl()).startsWith(PUBLIC_URL + "/v1/chatwoot/webhook/" + instance.id() + "?secret=cws_");
        assertThat(view.get("base_url").asText()).isEqualTo(chatwoot.baseUrl());
        assertThat(view.get("account_id").asLong()).isEqualTo(ACCOUNT);
        assertThat(view.get("sign_messages").asBoolean()).isTrue();
        assertThat(view.get("reopen_resolved").asBoolean()).isTrue();
        assertThat(view.get("ignore_groups").asBoolean()).isFalse();
    }

    @Test
    void anExistingApiInboxOfTheSameNameIsReusedNotDuplicated() {
        var instance = gateway.newInstance(tenant, "reuse");
        var ownWebhook = PUBLIC_URL + "/v1/chatwoot/webhook/" + instance.id();
        var existing = chatwoot.addInbox("Existing inbox", "Channel::Api", ownWebhook);
        int createsBefore = chatwoot.createRequests().size();

        var view = http.put("/v1/instances/reuse/chatwoot", tenant.token(), body("Existing inbox", TOKEN, ACCOUNT))
                .json().get("chatwoot");

        assertThat(view.get("status").asText()).isEqualTo("ok");
        assertThat(view.get("inbox_id").asLong()).isEqualTo(existing);
        assertThat(chatwoot.createRequests()).hasSize(createsBefore);
    }

    @Test
    void aReusedInboxWhoseWebhookPointsElsewhereIsPointedBackAtTheGateway() {
        var instance = gateway.newInstance(tenant, "repoint");
        var existing = chatwoot.addInbox("Old gateway inbox", "Channel::Api", "https://old-gateway.example/hook");

        var view = http.put("/v1/instances/repoint/chatwoot", tenant.token(), body("Old gateway inbox", TOKEN,
                ACCOUNT)).json().get("chatwoot");

        assertThat(view.get("status").asText()).isEqualTo("ok");
        assertThat(chatwoot.inbox(existing).webhookUrl())
                .startsWith(PUBLIC_URL + "/v1/chatwoot/webhook/" + instance.id() + "?secret=");
    }

    @Test
    void anInboxOfTheSameNameThatIsNotAnApiInboxIsAnError() {
        gateway.newInstance(tenant, "email-name");
        chatwoot.addInbox("Mail", "Channel::Email", null);

        var view = http.put("/v1/instances/email-name/chatwoot", tenant.token(), body("Mail", TOKEN, ACCOUNT)).json()
                .get("chatwoot");

        assertThat(view.get("status").asText()).isEqualTo("error");
        assertThat(view.get("status_reason").asText()).contains("Channel::Email").contains("inbox_name");
    }

    @Test
    void aRefusedTokenIsStoredAsAnErrorThatSaysWhatToFix() {
        gateway.newInstance(tenant, "bad-token");

        var response = http.put("/v1/instances/bad-token/chatwoot", tenant.token(), body("X", "wrong-token", ACCOUNT));

        assertThat(response.status()).isEqualTo(200);
        var view = response.json().get("chatwoot");
        assertThat(view.get("status").asText()).isEqualTo("error");
        assertThat(view.get("status_reason").asText()).contains("api_token").contains("401");
        assertThat(view.get("inbox_id").isNull()).isTrue();
        assertThat(http.get("/v1/instances/bad-token/chatwoot", tenant.token()).json().at("/chatwoot/status").asText())
                .isEqualTo("error");
    }

    @Test
    void aWrongAccountIsAnErrorNamingTheAccount() {
        gateway.newInstance(tenant, "bad-account");
        var view = http.put("/v1/instances/bad-account/chatwoot", tenant.token(), body("X", TOKEN, 999)).json()
                .get("chatwoot");
        assertThat(view.get("status").asText()).isEqualTo("error");
        assertThat(view.get("status_reason").asText()).contains("account_id").contains("999");
    }

    @Test
    void anUnreachableChatwootIsAnErrorNamingTheUrl() {
        gateway.newInstance(tenant, "unreachable");
        var json = "{\"base_url\":\"http://127.0.0.1:1\",\"account_id\":3,\"api_token\":\"t\",\"inbox_name\":\"X\"}";
        var view = http.put("/v1/instances/unreachable/chatwoot", tenant.token(), json).json().get("chatwoot");
        assertThat(view.get("status").asText()).isEqualTo("error");
        assertThat(view.get("status_reason").asText()).contains("could not reach").contains("http://127.0.0.1:1");
    }

    @Test
    void theApiTokenIsNeverReturned() {
        gateway.newInstance(tenant, "write-only");
        var put = http.put("/v1/instances/write-only/chatwoot", tenant.token(), body("Write only", TOKEN, ACCOUNT));
        var get = http.get("/v1/instances/write-only/chatwoot", tenant.token());
        var instance = http.get("/v1/instances/write-only", tenant.token());
        for (var response : new Http.Response[] {put, get, instance}) {
            assertThat(response.body()).doesNotContain(TOKEN).doesNotContain("api_token");
        }
    }

    @Test
    void aPutWithoutTokenKeepsTheStoredOne() {
        gateway.newInstance(tenant, "keep-token");
        http.put("/v1/instances/keep-token/chatwoot", tenant.token(), body("Keep", TOKEN, ACCOUNT));

        var json = "{\"base_url\":\"" + chatwoot.baseUrl() + "\",\"account_id\":3,\"inbox_name\":\"Keep renamed\"}";
        var view = http.put("/v1/instances/keep-token/chatwoot", tenant.token(), json).json().get("chatwoot");

        assertThat(view.get("status").asText()).as(view.toString()).isEqualTo("ok");
        assertThat(view.get("inbox_name").asText()).isEqualTo("Keep renamed");
    }

    @Test
    void theFirstConfigurationNeedsAToken() {
        gateway.newInstance(tenant, "no-token");
        var json = "{\"base_url\":\"" + chatwoot.baseUrl() + "\",\"account_id\":3,\"inbox_name\":\"X\"}";
        var response = http.put("/v1/instances/no-token/chatwoot", tenant.token(), json);
        assertEnvelope(response, 400, "VALIDATION_ERROR");
        assertThat(response.json().at("/details/0/field").asText()).isEqualTo("api_token");
    }

    @Test
    void anInvalidConfigurationIsRefusedBeforeChatwootIsCalled() {
        gateway.newInstance(tenant, "invalid");
        var response = http.put("/v1/instances/invalid/chatwoot", tenant.token(),
                "{\"base_url\":\"not a url\",\"account_id\":0,\"api_token\":\"t\",\"inbox_name\":\"\"}");
        assertEnvelope(response, 400, "VALIDATION_ERROR");
        assertThat(response.json().get("details")).extracting(d -> d.get("field").asText())
                .contains("base_url", "account_id", "inbox_name");
    }

    @Test
    void aDisabledConfigurationIsStoredWithoutCallingChatwoot() {
        gateway.newInstance(tenant, "disabled");
        int createsBefore = chatwoot.createRequests().size();
        var json = "{\"enabled\":false,\"base_url\":\"http://127.0.0.1:1\",\"account_id\":3,\"api_token\":\"t\","
                + "\"inbox_name\":\"Off\"}";
        var view = http.put("/v1/instances/disabled/chatwoot", tenant.token(), json).json().get("chatwoot");
        assertThat(view.get("enabled").asBoolean()).isFalse();
        assertThat(view.get("status").asText()).isEqualTo("disabled");
        assertThat(chatwoot.createRequests()).hasSize(createsBefore);
    }

    @Test
    void neverConfiguredIsNotFoundAndDeleteRemovesIt() {
        gateway.newInstance(tenant, "lifecycle");
        assertEnvelope(http.get("/v1/instances/lifecycle/chatwoot", tenant.token()), 404, "NOT_FOUND");
        http.put("/v1/instances/lifecycle/chatwoot", tenant.token(), body("Lifecycle", TOKEN, ACCOUNT));
        assertThat(http.get("/v1/instances/lifecycle/chatwoot", tenant.token()).status()).isEqualTo(200);

        assertThat(http.delete("/v1/instances/lifecycle/chatwoot", tenant.token()).status()).isEqualTo(204);

        assertEnvelope(http.get("/v1/instances/lifecycle/chatwoot", tenant.token()), 404, "NOT_FOUND");
        assertEnvelope(http.delete("/v1/instances/lifecycle/chatwoot", tenant.token()), 404, "NOT_FOUND");
    }

    @Test
    void theInstanceShowsItsChatwootIntegration() {
        gateway.newInstance(tenant, "integrated");
        http.put("/v1/instances/integrated/chatwoot", tenant.token(), body("Integrated", TOKEN, ACCOUNT));
        var integrations = http.get("/v1/instances/integrated", tenant.token()).json().at("/instance/integrations");
        assertThat(integrations.at("/chatwoot/status").asText()).isEqualTo("ok");
        assertThat(integrations.at("/chatwoot/inbox_name").asText()).isEqualTo("Integrated");
        assertThat(integrations.get("s3").isNull()).isTrue();
    }

    @Test
    void anInstanceTokenConfiguresItsOwnChatwootButNotASiblings() {
        var own = gateway.newInstance(tenant, "own-chatwoot");
        gateway.newInstance(tenant, "sibling-chatwoot");
        assertThat(http.put("/v1/instances/own-chatwoot/chatwoot", own.token(), body("Own", TOKEN, ACCOUNT)).status())
                .isEqualTo(200);
        assertEnvelope(http.put("/v1/instances/sibling-chatwoot/chatwoot", own.token(), body("S", TOKEN, ACCOUNT)),
                404, "NOT_FOUND");
        assertEnvelope(http.get("/v1/instances/sibling-chatwoot/chatwoot", own.token()), 404, "NOT_FOUND");
    }

    private static String body(String inbox, String token, long account) {
        return "{\"base_url\":\"" + chatwoot.baseUrl() + "/\",\"account_id\":" + account + ",\"api_token\":\"" + token
                + "\",\"inbox_name\":\"" + inbox + "\",\"sign_messages\":true,\"reopen_resolved\":true}";
    }
}
