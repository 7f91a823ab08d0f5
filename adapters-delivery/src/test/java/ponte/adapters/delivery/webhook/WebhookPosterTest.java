package ponte.adapters.delivery.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import ponte.adapters.delivery.egress.Egress;
import ponte.application.port.in.DispatchWebhooksUseCase.DueWebhook;
import ponte.domain.egress.EgressPolicy;
import ponte.domain.event.EventType;

class WebhookPosterTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void aHostThatResolvesToARefusedAddressIsNeverContacted() {
        try (var egress = new Egress("test", new EgressPolicy(true, false),
                host -> List.of(InetAddress.ofLiteral("169.254.169.254")), Duration.ofSeconds(2), 1024, null)) {
            var poster = new WebhookPoster(egress, Duration.ofSeconds(2), CLOCK, payload -> payload);
            var result = poster.post(due("http://hooks.example:9/hook"));
            assertThat(result.statusCode()).isNull();
            assertThat(result.error()).startsWith("refused: hooks.example resolves to 169.254.169.254")
                    .contains("link-local or cloud-metadata").contains("PONTE_EGRESS_ALLOW_LINK_LOCAL");
        }
    }

    @Test
    void aConnectionFailureBecomesTheAttemptsErrorInsteadOfAnException() {
        try (var egress = new Egress("test", new EgressPolicy(true, false), Duration.ofSeconds(2), 1024)) {
            var poster = new WebhookPoster(egress, Duration.ofSeconds(2), CLOCK, payload -> payload);
            var result = poster.post(due("http://127.0.0.1:9/hook"));
            assertThat(result.succeeded()).isFalse();
            assertThat(result.error()).isNotBlank();
        }
    }

    @Test
    void theSignatureIsTheHexHmacOfTimestampDotBody() {
        // RFC 4231-style check computed independently: HMAC-SHA256("key", "1700000000.{}")
        assertThat(Signature.header("key", 1_700_000_000L, "{}"))
                .isEqualTo("t=1700000000,v1=" + Signature.hmac("key", "1700000000.{}"))
                .matches("t=1700000000,v1=[0-9a-f]{64}");
        assertThat(Signature.hmac("key", "The quick brown fox jumps over the lazy dog"))
                .isEqualTo("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
    }

    private static DueWebhook due(String url) {
        return new DueWebhook(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), EventType.MESSAGE_EXCHANGE, url,
                "{}", "secret-0123456789abcdef", null, Map.of(), 1, 0, null, false);
    }
}
