package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static ponte.bootstrap.ErrorEnvelopeTest.assertEnvelope;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SettingsRoutesTest {
    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass();
    private static Http http;
    private static GatewayFixture.Tenant tenant;

    @BeforeAll
    static void start() {
        http = gateway.http();
        tenant = gateway.newTenant("settings");
    }

    @Test
    void neverChangedSettingsAreTheDefaultsWithHistorySyncSkipped() {
        gateway.newInstance(tenant, "defaults");

        var response = http.get("/v1/instances/defaults/settings", tenant.token());

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        var settings = response.json().get("settings");
        assertThat(response.json().get("success").asBoolean()).isTrue();
        assertThat(settings.get("skip_history_sync").asBoolean()).isTrue();
        for (var flag : new String[] {"reject_calls", "ignore_groups", "always_online", "read_messages",
                "ignore_status"}) {
            assertThat(settings.get(flag).asBoolean()).as(flag).isFalse();
        }
        assertThat(settings.get("reject_call_message").isNull()).isTrue();
    }

    @Test
    void aPutChangesOnlyTheFieldsSentAndIsKept() {
        gateway.newInstance(tenant, "partial");
        http.put("/v1/instances/partial/settings", tenant.token(),
                "{\"reject_calls\":true,\"reject_call_message\":\"Calls are not answered here\"}");

        var second = http.put("/v1/instances/partial/settings", tenant.token(), "{\"always_online\":true}");

        assertThat(second.status()).as(second.toString()).isEqualTo(200);
        var settings = http.get("/v1/instances/partial/settings", tenant.token()).json().get("settings");
        assertThat(settings.get("reject_calls").asBoolean()).isTrue();
        assertThat(settings.get("reject_call_message").asText()).isEqualTo("Calls are not answered here");
        assertThat(settings.get("always_online").asBoolean()).isTrue();
        assertThat(settings.get("skip_history_sync").asBoolean()).isTrue();
        assertThat(settings.get("read_messages").asBoolean()).isFalse();
    }

    @Test
    void aFlagThatIsNotABooleanIsRefusedNamingTheField() {
        gateway.newInstance(tenant, "typed");
        for (var wrong : new String[] {"\"yes\"", "\"true\"", "1"}) {
            var response = http.put("/v1/instances/typed/settings", tenant.token(),
                    "{\"ignore_groups\":" + wrong + "}");
            assertEnvelope(response, 400, "VALIDATION_ERROR");
            assertThat(response.json().at("/details/0/field").asText()).isEqualTo("ignore_groups");
        }
        var message = http.put("/v1/instances/typed/settings", tenant.token(), "{\"reject_call_message\":42}");
        assertEnvelope(message, 400, "VALIDATION_ERROR");
        assertThat(http.get("/v1/instances/typed/settings", tenant.token()).json().at("/settings/ignore_groups")
                .asBoolean()).isFalse();
    }

    @Test
    void anUnknownSettingIsRefused() {
        gateway.newInstance(tenant, "unknown");
        var response = http.put("/v1/instances/unknown/settings", tenant.token(), "{\"auto_reply\":true}");
        assertEnvelope(response, 400, "VALIDATION_ERROR");
        assertThat(response.json().at("/details/0/field").asText()).isEqualTo("auto_reply");
    }

    @Test
    void anInstanceTokenManagesItsOwnSettingsButNotASiblings() {
        var own = gateway.newInstance(tenant, "own-settings");
        gateway.newInstance(tenant, "sibling-settings");
        assertThat(http.put("/v1/instances/own-settings/settings", own.token(), "{\"read_messages\":true}").status())
                .isEqualTo(200);
        assertEnvelope(http.get("/v1/instances/sibling-settings/settings", own.token()), 404, "NOT_FOUND");
        assertEnvelope(http.put("/v1/instances/sibling-settings/settings", own.token(), "{\"read_messages\":true}"),
                404, "NOT_FOUND");
    }

    @Test
    void anotherTenantsInstanceSettingsAreNotFound() {
        var instance = gateway.newInstance(tenant, "hidden-settings");
        var stranger = gateway.newTenant("stranger");
        assertEnvelope(http.get("/v1/instances/" + instance.id() + "/settings", stranger.token()), 404, "NOT_FOUND");
    }
}
