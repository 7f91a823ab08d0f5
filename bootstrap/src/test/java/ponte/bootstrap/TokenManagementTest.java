package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static ponte.bootstrap.ErrorEnvelopeTest.assertEnvelope;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 17 item 7 against the real gateway and database: account tokens listed, issued, revoked (at once) by the
 * admin and by the tenant itself, never another tenant's; an instance's token regenerated; last_used_at written on
 * first use and not again within the minute; and the audit log of who changed what, scoped to the tenant.
 */
class TokenManagementTest {
    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass(Map.of("PONTE_RATE_LIMIT_AUTH_FAILURES", "10000000"));

    @Test
    void aTenantListsIssuesAndRevokesItsOwnAccountTokensAndARevokedTokenIsRefusedAtOnce() {
        var http = gateway.http();
        var tenant = gateway.newTenant("tokens-self-service");
        var other = gateway.newTenant("tokens-other");
        var first = http.get("/v1/tenants/" + tenant.id() + "/tokens", tenant.token());
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().get("data")).hasSize(1);
        var firstId = first.json().at("/data/0/id").asText();
        assertThat(first.json().at("/data/0/prefix").asText()).isEqualTo(tenant.token().substring(0, 8));
        assertThat(first.body()).doesNotContain(tenant.token());

        var issued = http.post("/v1/tenants/" + tenant.id() + "/tokens", tenant.token(), "{\"label\":\"crm\"}");
        assertThat(issued.status()).isEqualTo(201);
        var second = issued.json().get("token").asText();
        var secondId = issued.json().at("/token_info/id").asText();
        assertThat(second).startsWith("ptk_");
        assertThat(http.get("/v1/me", second).status()).isEqualTo(200);
        var listed = http.get("/v1/tenants/" + tenant.id() + "/tokens", second);
        assertThat(listed.json().get("data")).extracting(n -> n.get("id").asText()).containsExactly(secondId, firstId);
        assertThat(listed.json().at("/data/0/label").asText()).isEqualTo("crm");
        assertThat(listed.body()).doesNotContain(second).doesNotContain(tenant.token());

        // another tenant's tokens do not exist for this tenant, whatever the route
        assertEnvelope(http.get("/v1/tenants/" + other.id() + "/tokens", tenant.token()), 404, "NOT_FOUND");
        assertEnvelope(http.post("/v1/tenants/" + other.id() + "/tokens", tenant.token(), "{}"), 404, "NOT_FOUND");
        var othersId = http.get("/v1/tenants/" + other.id() + "/tokens", other.token()).json().at("/data/0/id")
                .asText();
        assertEnvelope(http.delete("/v1/tenants/" + other.id() + "/tokens/" + othersId, tenant.token()), 404,
                "NOT_FOUND");
        assertEnvelope(http.delete("/v1/tenants/" + tenant.id() + "/tokens/" + othersId, tenant.token()), 404,
                "NOT_FOUND");
        assertThat(http.get("/v1/me", other.token()).status()).isEqualTo(200);

        // rotation: the first token revoked with the second; it is refused on its very next request
        assertThat(http.delete("/v1/tenants/" + tenant.id() + "/tokens/" + firstId, second).status()).isEqualTo(204);
        assertEnvelope(http.get("/v1/me", tenant.token()), 401, "UNAUTHORIZED");
        assertEnvelope(http.get("/v1/instances", tenant.token()), 401, "UNAUTHORIZED");
        assertThat(http.get("/v1/instances", second).status()).isEqualTo(200);

        // the last live token stays: a tenant without one could not let itself back in
        assertEnvelope(http.delete("/v1/tenants/" + tenant.id() + "/tokens/" + secondId, second), 409, "CONFLICT");
        assertThat(http.get("/v1/me", second).status()).isEqualTo(200);

        // the operator manages any tenant's tokens
        var byAdmin = http.post("/v1/tenants/" + tenant.id() + "/tokens", GatewayFixture.ADMIN_TOKEN, null);
        assertThat(byAdmin.status()).isEqualTo(201);
        assertThat(http.delete("/v1/tenants/" + tenant.id() + "/tokens/" + secondId, GatewayFixture.ADMIN_TOKEN)
                .status()).isEqualTo(204);
        assertEnvelope(http.get("/v1/me", second), 401, "UNAUTHORIZED");
        assertThat(http.get("/v1/me", byAdmin.json().get("token").asText()).status()).isEqualTo(200);
    }

    @Test
    void anInstanceTokenIsRegeneratedAndTheOldOneStopsAtOnce() {
        var http = gateway.http();
        var tenant = gateway.newTenant("tokens-instance");
        var instance = gateway.newInstance(tenant, "regenerated");
        var sibling = gateway.newInstance(tenant, "regenerated-sibling");
        assertThat(http.get("/v1/instances/" + instance.id(), instance.token()).status()).isEqualTo(200);
        assertEnvelope(http.post("/v1/instances/" + instance.id() + "/token", sibling.token(), null), 404,
                "NOT_FOUND");

        var byAccount = http.post("/v1/instances/" + instance.name() + "/token", tenant.token(), null);
        assertThat(byAccount.status()).isEqualTo(201);
        var renewed = byAccount.json().get("token").asText();
        assertThat(renewed).startsWith("pti_").isNotEqualTo(instance.token());
        assertEnvelope(http.get("/v1/instances/" + instance.id(), instance.token()), 401, "UNAUTHORIZED");
        assertThat(http.get("/v1/instances/" + instance.id(), renewed).status()).isEqualTo(200);

        // the instance may rotate its own token
        var bySelf = http.post("/v1/instances/" + instance.id() + "/token", renewed, null);
        assertThat(bySelf.status()).isEqualTo(201);
        assertEnvelope(http.get("/v1/instances/" + instance.id(), renewed), 401, "UNAUTHORIZED");
        assertThat(http.get("/v1/instances/" + instance.id(), bySelf.json().get("token").asText()).status())
                .isEqualTo(200);
        assertThat(http.get("/v1/instances/" + sibling.id(), sibling.token()).status()).isEqualTo(200);
    }

    @Test
    void lastUsedAtIsWrittenOnFirstUseAndNotAgainForEveryRequest() throws Exception {
        var http = gateway.http();
        var tenant = gateway.newTenant("tokens-usage");
        var issued = http.post("/v1/tenants/" + tenant.id() + "/tokens", GatewayFixture.ADMIN_TOKEN,
                "{\"label\":\"fresh\"}").json();
        var fresh = issued.get("token").asText();
        var freshId = issued.at("/token_info/id").asText();
        assertThat(tokenInfo(tenant, freshId).get("last_used_at").isNull()).isTrue();

        var before = Instant.now().minusSeconds(1);
        assertThat(http.get("/v1/me", fresh).status()).isEqualTo(200);
        var firstUse = tokenInfo(tenant, freshId).get("last_used_at").asText();
        assertThat(Instant.parse(firstUse)).isAfter(before).isBefore(Instant.now().plusSeconds(1));
        var version = rowVersion(freshId);

        for (int i = 0; i < 20; i++) {
            assertThat(http.get("/v1/me", fresh).status()).isEqualTo(200);
        }
        // the same value, and the same row version: twenty requests, no write
        assertThat(tokenInfo(tenant, freshId).get("last_used_at").asText()).isEqualTo(firstUse);
        assertThat(rowVersion(freshId)).isEqualTo(version);
    }

    @Test
    void theAuditLogRecordsWhoChangedWhatScopedToTheTenantWithoutSecrets() {
        var http = gateway.http();
        var tenant = gateway.newTenant("audited");
        var stranger = gateway.newTenant("audit-stranger");
        var created = http.post("/v1/instances", tenant.token(), "{\"name\":\"audited-one\"}");
        assertThat(created.status()).isEqualTo(201);
        var instanceId = created.json().at("/instance/id").asText();
        var instanceToken = created.json().at("/instance/token").asText();
        var secret = "audit-webhook-secret-9f1e";
        assertThat(http.post("/v1/instances/" + instanceId + "/webhooks", tenant.token(), "{\"label\":\"crm\","
                + "\"url\":\"https://example.com/hook\",\"enabled\":false,\"secret\":\"" + secret + "\"}").status())
                .isEqualTo(201);
        // by its name: the log still names the instance by its id
        assertThat(http.put("/v1/instances/audited-one/webhooks/crm", tenant.token(),
                "{\"url\":\"https://example.com/other\",\"enabled\":false}").status()).isEqualTo(200);
        assertThat(http.delete("/v1/instances/" + instanceId + "/webhooks/crm", tenant.token()).status())
                .isEqualTo(204);
        var issued = http.post("/v1/tenants/" + tenant.id() + "/tokens", tenant.token(), "{}").json();
        var issuedId = issued.at("/token_info/id").asText();
        assertThat(http.delete("/v1/tenants/" + tenant.id() + "/tokens/" + issuedId, tenant.token()).status())
                .isEqualTo(204);
        assertEnvelope(http.delete("/v1/tenants/" + tenant.id() + "/tokens/" + tenantTokenId(tenant),
                tenant.token()), 409, "CONFLICT");
        assertThat(http.delete("/v1/instances/" + instanceId, tenant.token()).status()).isEqualTo(204);
        // a stranger's probe of this tenant's instance is not in anybody's tenant log
        assertEnvelope(http.delete("/v1/instances/" + instanceId, stranger.token()), 404, "NOT_FOUND");

        var entries = all(tenant.token());
        assertThat(entries).extracting(e -> e.get("method").asText() + " " + e.get("route").asText() + " "
                + e.get("status").asInt()).containsSubsequence(
                "DELETE /v1/instances/{id} 204",
                "DELETE /v1/tenants/{id}/tokens/{token_id} 409",
                "DELETE /v1/tenants/{id}/tokens/{token_id} 204",
                "POST /v1/tenants/{id}/tokens 201",
                "DELETE /v1/instances/{id}/webhooks/{label} 204",
                "PUT /v1/instances/{id}/webhooks/{label} 200",
                "POST /v1/instances/{id}/webhooks 201",
                "POST /v1/instances 201");
        var createdEntry = entries.stream().filter(e -> e.get("route").asText().equals("/v1/instances")).findFirst()
                .orElseThrow();
        assertThat(createdEntry.get("resource_id").asText()).isEqualTo(instanceId);
        assertThat(entries.stream().filter(e -> e.get("method").asText().equals("PUT")).findFirst().orElseThrow()
                .get("resource_id").asText()).as("named by its id, though the path used its name")
                .isEqualTo(instanceId);
        assertThat(createdEntry.at("/actor/kind").asText()).isEqualTo("account");
        assertThat(createdEntry.get("tenant_id").asText()).isEqualTo(tenant.id());
        assertThat(entries.stream().filter(e -> e.get("route").asText().equals("/v1/tenants/{id}/tokens"))
                .findFirst().orElseThrow().get("resource_id").asText()).isEqualTo(issuedId);
        assertThat(entries).allSatisfy(e -> assertThat(e.get("tenant_id").asText()).isEqualTo(tenant.id()));
        assertThat(entries.toString()).doesNotContain(secret).doesNotContain(tenant.token())
                .doesNotContain(instanceToken).doesNotContain(issued.get("token").asText());

        // the stranger sees only its own; the admin sees everyone's; an instance token reads no log
        var strangers = all(stranger.token());
        assertThat(strangers.toString()).doesNotContain(instanceId).doesNotContain(tenant.id());
        var admins = all(GatewayFixture.ADMIN_TOKEN);
        assertThat(admins).extracting(e -> e.get("id").asText())
                .containsAll(entries.stream().map(e -> e.get("id").asText()).toList());
        var other = gateway.newInstance(tenant, "audit-reader");
        assertEnvelope(http.get("/v1/audit", other.token()), 403, "FORBIDDEN");
    }

    private static List<JsonNode> all(String token) {
        var entries = new ArrayList<JsonNode>();
        String cursor = null;
        do {
            var page = gateway.http().get("/v1/audit?limit=3" + (cursor == null ? "" : "&cursor=" + cursor), token);
            assertThat(page.status()).isEqualTo(200);
            page.json().get("data").forEach(entries::add);
            cursor = page.json().get("next_cursor").isNull() ? null : page.json().get("next_cursor").asText();
        } while (cursor != null);
        return entries;
    }

    private static String tenantTokenId(GatewayFixture.Tenant tenant) {
        var data = gateway.http().get("/v1/tenants/" + tenant.id() + "/tokens", tenant.token()).json().get("data");
        assertThat(data).hasSize(1);
        return data.get(0).get("id").asText();
    }

    private static JsonNode tokenInfo(GatewayFixture.Tenant tenant, String tokenId) {
        for (var token : gateway.http().get("/v1/tenants/" + tenant.id() + "/tokens", GatewayFixture.ADMIN_TOKEN)
                .json().get("data")) {
            if (token.get("id").asText().equals(tokenId)) {
                return token;
            }
        }
        throw new AssertionError("no token " + tokenId);
    }

    /** The row's transaction id: an update, even to the same value, changes it. */
    private static String rowVersion(String tokenId) throws Exception {
        var db = gateway.database();
        try (var connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             var statement = connection.prepareStatement(
                     "select xmin::text from api_token_usage where token_id = cast(? as uuid)")) {
            statement.setString(1, tokenId);
            try (var rows = statement.executeQuery()) {
                assertThat(rows.next()).isTrue();
                return rows.getString(1);
            }
        }
    }

}
