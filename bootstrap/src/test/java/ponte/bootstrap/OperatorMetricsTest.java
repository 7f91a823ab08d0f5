package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** /metrics carries the gateway's own figures, each moving as the thing it counts happens. */
class OperatorMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass(Map.of("PONTE_WHATSAPP", "sandbox",
            "PONTE_SANDBOX_PORT", "0", "PONTE_WEBHOOK_POLL_MS", "50", "PONTE_WEBHOOK_ALLOW_PRIVATE_TARGETS", "true"));
    private static Http http;
    private static GatewayFixture.Tenant tenant;

    @BeforeAll
    static void start() {
        http = gateway.http();
        tenant = gateway.newTenant("metrics");
    }

    @Test
    void sessionsAreCountedByStatus() {
        var before = metric("ponte_sessions", "status=\"pending\"");
        gateway.newInstance(tenant, "counted");
        awaitMetric("ponte_sessions", "status=\"pending\"", () -> before + 1);
        assertThat(metric("ponte_sessions", "status=\"connected\"")).isGreaterThanOrEqualTo(0);
    }

    @Test
    void qrCodesShownAndPairingsAreCounted() {
        var phone = "5511987650901";
        assertThat(http.post("/v1/sandbox/phones", GatewayFixture.ADMIN_TOKEN,
                "{\"phone_number\":\"" + phone + "\",\"push_name\":\"Metrics\"}").status()).isEqualTo(201);
        gateway.newInstance(tenant, "pairing");
        var shown = metric("ponte_pairing_outcomes_total", "outcome=\"qr_shown\"");
        var paired = metric("ponte_pairing_outcomes_total", "outcome=\"paired\"");
        var connectedBefore = metric("ponte_sessions", "status=\"connected\"");

        var connect = http.post("/v1/instances/pairing/connect", tenant.token(), null);
        assertThat(connect.json().get("status").asText()).isEqualTo("qr");
        awaitMetric("ponte_pairing_outcomes_total", "outcome=\"qr_shown\"", () -> shown + 1);
        var scan = http.post("/v1/sandbox/phones/" + phone + "/scan", GatewayFixture.ADMIN_TOKEN,
                "{\"qr\":\"" + connect.json().at("/qr/raw").asText() + "\"}");
        assertThat(scan.status()).as(scan.toString()).isEqualTo(200);

        awaitMetric("ponte_pairing_outcomes_total", "outcome=\"paired\"", () -> paired + 1);
        awaitMetric("ponte_sessions", "status=\"connected\"", () -> connectedBefore + 1);
    }

    @Test
    void webhookDeliveriesAreCountedByOutcomeWithTheirLatencyAndTheBacklogIsMeasured() {
        try (var receiver = Receiver.start().answer(503)) {
            var instance = gateway.newInstance(tenant, "deliveries");
            var webhook = http.post("/v1/instances/" + instance.id() + "/webhooks", tenant.token(),
                    "{\"label\":\"ops\",\"url\":\"" + receiver.url("/hook") + "\",\"events\":[\"message.exchange\"]}");
            assertThat(webhook.status()).as(webhook.toString()).isEqualTo(201);
            var retries = metric("ponte_webhook_deliveries_seconds_count", "outcome=\"retry\"");
            var succeeded = metric("ponte_webhook_deliveries_seconds_count", "outcome=\"succeeded\"");
            var backlog = metric("ponte_webhook_backlog", null);

            Events.message(gateway, tenant, instance, "first try fails");
            receiver.await(1, WAIT);
            awaitMetric("ponte_webhook_deliveries_seconds_count", "outcome=\"retry\"", () -> retries + 1);
            assertThat(metric("ponte_webhook_deliveries_seconds_sum", "outcome=\"retry\"")).isPositive();
            awaitMetric("ponte_webhook_backlog", null, () -> backlog + 1);
            Receiver.sleep(1100);
            assertThat(metric("ponte_webhook_oldest_pending_age_seconds", null)).isGreaterThanOrEqualTo(1.0);

            receiver.answer(200);
            var delivery = http.get("/v1/webhook-deliveries?instance=" + instance.id(), tenant.token()).json()
                    .at("/data/0/id").asText();
            var redelivered = http.post("/v1/webhook-deliveries/" + delivery + "/redeliver", tenant.token(), null);
            assertThat(redelivered.status()).as(redelivered.toString()).isLessThan(300);
            awaitMetric("ponte_webhook_deliveries_seconds_count", "outcome=\"succeeded\"", () -> succeeded + 1);
            awaitMetric("ponte_webhook_backlog", null, () -> backlog);
            assertThat(metric("ponte_webhook_oldest_pending_age_seconds", null)).isZero();
        }
    }

    private static void awaitMetric(String name, String labels, Supplier<Double> expected) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        double value = metric(name, labels);
        while (value != expected.get() && System.nanoTime() < deadline) {
            Receiver.sleep(100);
            value = metric(name, labels);
        }
        assertThat(value).as(name + "{" + labels + "}").isEqualTo(expected.get());
    }

    /** The value of one series of the Prometheus text, 0 when it is absent. */
    static double metric(String name, String labels) {
        var text = http.get("/metrics", null).body();
        var series = Pattern.compile("^" + Pattern.quote(name) + "(\\{([^}]*)})? (\\S+)$", Pattern.MULTILINE);
        var matcher = series.matcher(text);
        while (matcher.find()) {
            var found = matcher.group(2) == null ? "" : matcher.group(2);
            if (labels == null || found.contains(labels)) {
                return Double.parseDouble(matcher.group(3));
            }
        }
        return 0;
    }
}
