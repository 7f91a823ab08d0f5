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
            // a token bucket: one permit back every 3 s, so a slow machine may see one more
            assertThat(Integer.parseInt(created.header("RateLimit-Remaining"))).isBetween(19 - i, 20 - i);
        }
        var refused = http.post("/v1/instances", tenant.token(), "{\"name\":\"one-too-many\"}");
        for (int extra = 0; refused.status() == 201 && extra < 3; extra++) {
            refused = http.post("/v1/instances", tenant.token(), "{\"name\":\"one-too-many-" + extra + "\"}");
        }
        assertEnvelope(refused, 429, "RATE_LIMITED");
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 60);
        assertThat(refused.header("RateLimit-Remaining")).isEqualTo("0");
        // Retry-After: until one permit is back; RateLimit-Reset: until the whole minute's budget is
        assertThat(Integer.parseInt(refused.header("RateLimit-Reset")))
                .isGreaterThanOrEqualTo(Integer.parseInt(refused.header("Retry-After")));
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
    void theGeneralRequestLimitIsConfigurableAndPerTenant() {
        var tenant = gateway.newTenant("chatty");
        int allowed = 0;
        while (allowed < 100 && http.get("/v1/me", tenant.token()).status() == 200) {
            allowed++;
        }
        // 50 at once, and one more for each 1.2 s the loop took
        assertThat(allowed).isBetween(50, 53);
        assertEnvelope(http.get("/v1/me", tenant.token()), 429, "RATE_LIMITED");
        assertThat(http.get("/v1/me", gateway.newTenant("quiet").token()).status()).isEqualTo(200);
    }
}
