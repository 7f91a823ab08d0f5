package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static ponte.bootstrap.ErrorEnvelopeTest.assertEnvelope;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Failed authentication is rate limited per client address (issue 17 item 7). */
class AuthFailureLimitTest {
    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass(Map.of("PONTE_RATE_LIMIT_AUTH_FAILURES", "5"));

    @Test
    void anAddressThatKeepsFailingIsRefusedWhateverItSendsUntilTheMinuteEnds() {
        var http = gateway.http();
        var tenant = gateway.newTenant("guessed");
        assertThat(http.get("/v1/me", tenant.token()).status()).isEqualTo(200);
        assertEnvelope(http.get("/v1/me", null), 401, "UNAUTHORIZED");
        for (int i = 0; i < 4; i++) {
            assertEnvelope(http.get("/v1/me", "ptk_wrong-guess-" + i), 401, "UNAUTHORIZED");
        }
        var refused = http.get("/v1/instances", "ptk_wrong-guess-5");
        assertEnvelope(refused, 429, "RATE_LIMITED");
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 61);
        // a right token from that address now gets the same answer: the guesser learns nothing more this minute
        assertEnvelope(http.get("/v1/me", tenant.token()), 429, "RATE_LIMITED");
        // the routes that need no token stay open
        assertThat(http.get("/healthz", null).status()).isEqualTo(200);
    }
}
