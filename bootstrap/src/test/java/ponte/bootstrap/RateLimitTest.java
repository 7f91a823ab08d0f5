package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static ponte.bootstrap.ErrorEnvelopeTest.assertEnvelope;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RateLimitTest {
    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass(Map.of("PONTE_RATE_LIMIT_REQUESTS", "50"));
    private static Http http;

    @BeforeAll
    static void start() {
        http = gateway.http();
    }

    @Test
    void theTwentyFirstCreationInAMinuteIsRateLimitedWithRetryAfter() {
        var tenant = gateway.newTenant("burst");
        for (int i = 0; i < 20; i++) {
            var created = http.post("/v1/instances", tenant.token(), "{\"name\":\"i" + i + "\"}");
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            assertThat(created.header("RateLimit-Limit")).isEqualTo("20");
            assertThat(created.header("RateLimit-Remaining")).isEqualTo(Integer.toString(19 - i));
        }
        var refused = http.post("/v1/instances", tenant.token(), "{\"name\":\"one-too-many\"}");
        assertEnvelope(refused, 429, "RATE_LIMITED");
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 60);
        assertThat(refused.header("RateLimit-Remaining")).isEqualTo("0");
        assertThat(refused.header("RateLimit-Reset")).isEqualTo(refused.header("Retry-After"));
        assertThat(http.get("/v1/instances/one-too-many", tenant.token()).status()).isEqualTo(404);
    }

    @Test
    void theCreationLimitIsPerTenant() {
        var busy = gateway.newTenant("busy");
        for (int i = 0; i < 20; i++) {
            http.post("/v1/instances", busy.token(), "{\"name\":\"b" + i + "\"}");
        }
        var calm = gateway.newTenant("calm");
        assertThat(http.post("/v1/instances", calm.token(), "{\"name\":\"c\"}").status()).isEqualTo(201);
    }

    @Test
    void theGeneralRequestLimitIsConfigurableAndPerToken() {
        var tenant = gateway.newTenant("chatty");
        for (int i = 0; i < 50; i++) {
            assertThat(http.get("/v1/me", tenant.token()).status()).isEqualTo(200);
        }
        assertEnvelope(http.get("/v1/me", tenant.token()), 429, "RATE_LIMITED");
        assertThat(http.get("/v1/me", gateway.newTenant("quiet").token()).status()).isEqualTo(200);
    }
}
