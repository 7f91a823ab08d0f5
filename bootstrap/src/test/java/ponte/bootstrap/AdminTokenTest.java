package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static ponte.bootstrap.ErrorEnvelopeTest.assertEnvelope;

import java.util.Map;
import org.junit.jupiter.api.Test;
import ponte.testing.PostgresFixture;

class AdminTokenTest {
    private static final Map<String, String> NO_CONFIGURED_TOKEN = Map.of("PONTE_ADMIN_TOKEN", "");

    @Test
    void theFirstStartGeneratesAnAdminTokenThatLaterStartsNeitherShowNorChange() throws Exception {
        var database = PostgresFixture.newDatabase();
        String token;
        try (var first = GatewayFixture.start(database, NO_CONFIGURED_TOKEN)) {
            token = first.gateway().generatedAdminToken().orElseThrow();
            assertThat(token).startsWith("pta_");
            assertThat(first.http().get("/v1/tenants", token).status()).isEqualTo(200);
        }
        try (var second = GatewayFixture.start(database, NO_CONFIGURED_TOKEN)) {
            assertThat(second.gateway().generatedAdminToken()).isEmpty();
            assertThat(second.http().get("/v1/me", token).json().get("kind").asText()).isEqualTo("admin");
        }
        try (var connection = database.dataSource().getConnection();
             var rows = connection.createStatement().executeQuery("select token_hash from admin_credential")) {
            assertThat(rows.next()).isTrue();
            assertThat(new String(rows.getBytes(1), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(token);
        }
    }

    @Test
    void aConfiguredAdminTokenIsUsedAndNothingIsGenerated() {
        try (var gateway = GatewayFixture.start(Map.of("PONTE_ADMIN_TOKEN", "configured-admin-token-42"))) {
            assertThat(gateway.gateway().generatedAdminToken()).isEmpty();
            assertThat(gateway.http().get("/v1/me", "configured-admin-token-42").json().get("kind").asText())
                    .isEqualTo("admin");
            assertEnvelope(gateway.http().get("/v1/me", GatewayFixture.ADMIN_TOKEN), 401, "UNAUTHORIZED");
        }
    }
}
