package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static ponte.bootstrap.ErrorEnvelopeTest.assertEnvelope;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class InternalErrorTest {
    @Test
    void anUnexpectedFailureIsAnInternalEnvelopeThatLeaksNothing() throws SQLException {
        try (var gateway = GatewayFixture.start()) {
            var tenant = gateway.newTenant("broken");
            try (var connection = gateway.database().dataSource().getConnection()) {
                // the database changes under the gateway: every token lookup now fails in SQL
                connection.createStatement().execute("alter table api_tokens rename to api_tokens_moved");
            }
            var response = gateway.http().get("/v1/me", tenant.token());
            assertEnvelope(response, 500, "INTERNAL");
            assertThat(response.body()).doesNotContain("api_tokens").doesNotContain("SQL")
                    .doesNotContain("Exception").doesNotContain("at ponte.");
            assertThat(response.json().get("error").asText()).contains(response.json().get("request_id").asText());
        }
    }

    @Test
    void readinessFailsWhenTheDatabaseDoesNotAnswer() throws Exception {
        var database = ponte.testing.PostgresFixture.newDatabase();
        try (var gateway = GatewayFixture.start(database, java.util.Map.of())) {
            try (var admin = ponte.testing.PostgresFixture.shared().dataSource().getConnection()) {
                var name = database.jdbcUrl().substring(database.jdbcUrl().lastIndexOf('/') + 1);
                admin.createStatement().execute("alter database " + name + " with allow_connections false");
                admin.createStatement().execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = '"
                        + name + "'");
            }
            var response = gateway.http().get("/readyz", null);
            assertEnvelope(response, 503, "UNAVAILABLE");
            assertThat(gateway.http().get("/healthz", null).status()).isEqualTo(200);
        }
    }
}
