package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Deleting a webhook fails what still waited for it at once: the log tells the truth without a retry. */
class WebhookDeletionTest {
    // the second attempt would come an hour later: only the deletion can fail the delivery in this test
    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass(Map.of("PONTE_WEBHOOK_RETRY_SCHEDULE", "0s,1h",
            "PONTE_WEBHOOK_POLL_MS", "50"));

    private static Http http;
    private static GatewayFixture.Tenant tenant;

    @BeforeAll
    static void start() {
        http = gateway.http();
        tenant = gateway.newTenant("deletion");
    }

    @Test
    void deletingAWebhookFailsItsPendingDeliveriesAtOnceAndKeepsThemInTheLog() {
        try (var receiver = Receiver.start().answer(503)) {
            var instance = gateway.newInstance(tenant, "retrying");
            var webhooks = "/v1/instances/" + instance.id() + "/webhooks";
            http.post(webhooks, tenant.token(), "{\"label\":\"crm\",\"url\":\"" + receiver.url("/crm") + "\"}");
            Events.message(gateway, tenant, instance, "first try fails");
            receiver.await(1, Duration.ofSeconds(20));
            var log = "/v1/webhook-deliveries?instance=" + instance.id();
            awaitStatus(log, "pending");

            assertThat(http.delete(webhooks + "/crm", tenant.token()).status()).isEqualTo(204);

            var delivery = http.get(log, tenant.token()).json().at("/data/0");
            assertThat(delivery.get("status").asText()).isEqualTo("failed");
            assertThat(delivery.get("label").asText()).isEqualTo("crm");
            assertThat(http.get(log + "&status=pending", tenant.token()).json().get("data")).isEmpty();
            assertThat(receiver.requests()).hasSize(1);
        }
    }

    private static void awaitStatus(String log, String status) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            var data = http.get(log, tenant.token()).json().get("data");
            if (data.size() == 1 && data.get(0).get("attempts").asInt() == 1
                    && data.get(0).get("status").asText().equals(status)) {
                return;
            }
            Receiver.sleep(20);
        }
        throw new AssertionError("the delivery never became " + status + " after its first attempt");
    }
}
