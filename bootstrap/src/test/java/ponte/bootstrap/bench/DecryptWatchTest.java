package ponte.bootstrap.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import ponte.bootstrap.GatewayFixture;

/**
 * The send benchmark's view of the phones' decrypts: a poll the gateway refuses stops the run instead of reading as
 * "not decrypted yet" (the 429s of the admin token's request limit once passed for a ~50 s stall of the send path).
 */
class DecryptWatchTest {
    private static final int REQUESTS_PER_MINUTE = 6;

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass(Map.of("PONTE_WHATSAPP", "sandbox",
            "PONTE_SANDBOX_PORT", "0", "PONTE_RATE_LIMIT_REQUESTS", Integer.toString(REQUESTS_PER_MINUTE)));

    @Test
    void aRefusedPollFailsTheWatchRatherThanLookingLikeALateDecrypt() {
        String phone = MessagingWebhookBenchmark.phone(gateway, "5511863000010", "Watched");
        var watch = new DecryptWatch(gateway.http(), GatewayFixture.ADMIN_TOKEN);
        watch.expect(phone);
        watch.sent(phone, "3EB0000000000000000001");
        // the phone's creation took one of the admin's requests for this minute: the polls run out of the rest
        assertThatThrownBy(() -> {
            for (int i = 0; i < REQUESTS_PER_MINUTE; i++) {
                assertThat(watch.poll()).isZero();
            }
        }).isInstanceOf(DecryptWatch.Refused.class).hasMessageContaining("429").hasMessageContaining("RATE_LIMITED");
        assertThat(watch.arrived()).isEmpty();
    }
}
