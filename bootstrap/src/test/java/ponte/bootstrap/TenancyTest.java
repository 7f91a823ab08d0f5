package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static ponte.bootstrap.ErrorEnvelopeTest.assertEnvelope;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TenancyTest {
    private static final String ADMIN = GatewayFixture.ADMIN_TOKEN;
    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass();
    private static Http http;

    @BeforeAll
    static void start() {
        http = gateway.http();
    }

    @Test
    void theAdminCreatesATenantAndSeesItsAccountTokenOnce() {
        var created = http.post("/v1/tenants", ADMIN, "{\"name\":\"Acme\",\"max_instances\":5}");
        assertThat(created.status()).isEqualTo(201);
        var json = created.json();
        assertThat(json.at("/tenant/name").asText()).isEqualTo("Acme");
        assertThat(json.at("/tenant/max_instances").asInt()).isEqualTo(5);
        assertThat(json.get("token").asText()).startsWith("ptk_");

        var read = http.get("/v1/tenants/" + json.at("/tenant/id").asText(), ADMIN);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body()).doesNotContain(json.get("token").asText()).doesNotContain("\"token\"");
    }

    @Test
    void aTenantWithoutAQuotaGetsTheDefault() {
        var created = http.post("/v1/tenants", ADMIN, "{\"name\":\"Defaults\"}");
        assertThat(created.json().at("/tenant/max_instances").asInt()).isEqualTo(100);
    }

    @Test
    void theAdminListsTenantsNewestFirst() {
        var first = gateway.newTenant("older");
        var second = gateway.newTenant("newer");
        var ids = http.get("/v1/tenants?limit=200", ADMIN).json().get("data").findValuesAsText("id");
        assertThat(ids.indexOf(second.id())).isLessThan(ids.indexOf(first.id()));
    }

    @Test
    void tenantRoutesAreForTheAdminOnly() {
        var tenant = gateway.newTenant("not admin");
        assertEnvelope(http.post("/v1/tenants", tenant.token(), "{\"name\":\"x\"}"), 403, "FORBIDDEN");
        assertEnvelope(http.get("/v1/tenants", tenant.token()), 403, "FORBIDDEN");
    }

    @Test
    void theAdminTokenCannotReachInstances() {
        assertEnvelope(http.get("/v1/instances", ADMIN), 403, "FORBIDDEN");
        assertEnvelope(http.post("/v1/instances", ADMIN, "{\"name\":\"x\"}"), 403, "FORBIDDEN");
    }

    @Test
    void aMissingOrUnknownTokenIsUnauthorized() {
        assertEnvelope(http.get("/v1/me", null), 401, "UNAUTHORIZED");
        assertEnvelope(http.get("/v1/me", "ptk_not-a-real-token"), 401, "UNAUTHORIZED");
    }

    @Test
    void aTokenIsAcceptedAsBearerOrTokenOrApikeyHeaderButNotInTheQuery() {
        var tenant = gateway.newTenant("headers");
        assertThat(http.get("/v1/me", tenant.token()).status()).isEqualTo(200);
        assertThat(http.send("GET", "/v1/me", null, null, Map.of("token", tenant.token())).status()).isEqualTo(200);
        assertThat(http.send("GET", "/v1/me", null, null, Map.of("apikey", tenant.token())).status()).isEqualTo(200);
        assertEnvelope(http.get("/v1/me?token=" + tenant.token(), null), 401, "UNAUTHORIZED");
    }

    @Test
    void meSaysWhichKindAndScopeEachTokenHas() {
        var tenant = gateway.newTenant("me");
        var instance = gateway.newInstance(tenant, "me-instance");
        assertThat(http.get("/v1/me", ADMIN).json().get("kind").asText()).isEqualTo("admin");
        var account = http.get("/v1/me", tenant.token()).json();
        assertThat(account.get("kind").asText()).isEqualTo("account");
        assertThat(account.get("tenant_id").asText()).isEqualTo(tenant.id());
        assertThat(account.get("instance_id").isNull()).isTrue();
        var own = http.get("/v1/me", instance.token()).json();
        assertThat(own.get("kind").asText()).isEqualTo("instance");
        assertThat(own.get("instance_id").asText()).isEqualTo(instance.id());
    }

    @Test
    void anotherAccountTokenWorksAndShowsOnce() {
        var tenant = gateway.newTenant("tokens");
        var issued = http.post("/v1/tenants/" + tenant.id() + "/tokens", ADMIN, null);
        assertThat(issued.status()).isEqualTo(201);
        var token = issued.json().get("token").asText();
        assertThat(token).isNotEqualTo(tenant.token());
        assertThat(http.get("/v1/me", token).json().get("tenant_id").asText()).isEqualTo(tenant.id());
    }

    @Test
    void deletingATenantRevokesItsTokensAndHidesIt() {
        var tenant = gateway.newTenant("doomed");
        var instance = gateway.newInstance(tenant, "doomed-instance");
        assertThat(http.delete("/v1/tenants/" + tenant.id(), ADMIN).status()).isEqualTo(204);
        assertEnvelope(http.get("/v1/me", tenant.token()), 401, "UNAUTHORIZED");
        assertEnvelope(http.get("/v1/me", instance.token()), 401, "UNAUTHORIZED");
        assertEnvelope(http.get("/v1/tenants/" + tenant.id(), ADMIN), 404, "NOT_FOUND");
        assertEnvelope(http.delete("/v1/tenants/" + tenant.id(), ADMIN), 404, "NOT_FOUND");
    }

    @Test
    void anUnknownOrMalformedTenantIdIsNotFound() {
        assertEnvelope(http.get("/v1/tenants/00000000-0000-7000-8000-000000000000", ADMIN), 404, "NOT_FOUND");
        assertEnvelope(http.get("/v1/tenants/not-a-uuid", ADMIN), 404, "NOT_FOUND");
    }

    @Test
    void tenantValidationReportsTheField() {
        var response = http.post("/v1/tenants", ADMIN, "{\"name\":\"\",\"max_instances\":-1}");
        assertEnvelope(response, 400, "VALIDATION_ERROR");
        assertThat(response.json().get("details").findValuesAsText("field")).containsExactly("name", "max_instances");
    }
}
