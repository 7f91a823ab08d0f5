package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One dead receiver must neither be hammered nor hold up deliveries to the others. */
class CircuitBreakerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass(Map.of(
            "PONTE_WEBHOOK_RETRY_SCHEDULE", "0s,100ms,100ms,100ms,100ms,100ms,100ms,100ms",
            "PONTE_WEBHOOK_RETRY_WINDOW", "0s",
            "PONTE_WEBHOOK_POLL_MS", "50",
            "PONTE_WEBHOOK_CONCURRENCY", "4",
            "PONTE_WEBHOOK_CIRCUIT_MIN_CALLS", "3",
            "PONTE_WEBHOOK_CIRCUIT_OPEN_SECONDS", "60"));
    private static Http http;
    private static GatewayFixture.Tenant tenant;

    @BeforeAll
    static void start() {
        http = gateway.http();
        tenant = gateway.newTenant("breaker");
    }

    @Test
    void anOpenCircuitStopsCallingADeadReceiverKeepsItsDeliveriesAndLetsOthersThrough() {
        try (var dead = Receiver.start().answer(500); var healthy = Receiver.start()) {
            var broken = gateway.newInstance(tenant, "broken");
            var fine = gateway.newInstance(tenant, "fine");
            http.post("/v1/instances/" + broken.id() + "/webhooks", tenant.token(),
                    "{\"label\":\"dead\",\"url\":\"" + dead.url("/dead") + "\"}");
            http.post("/v1/instances/" + fine.id() + "/webhooks", tenant.token(),
                    "{\"label\":\"ok\",\"url\":\"" + healthy.url("/ok") + "\"}");
            int events = 10;
            for (int i = 0; i < events; i++) {
                Events.message(gateway, tenant, broken, "to the dead " + i);
                Events.message(gateway, tenant, fine, "to the living " + i);
            }
            assertThat(healthy.await(events, WAIT)).hasSize(events);
            Receiver.sleep(1500);
            // without the breaker: 10 deliveries x 8 attempts, 100 ms apart, all spent by now
            int calls = dead.requests().size();
            assertThat(calls).isLessThan(events + 4);
            Receiver.sleep(1000);
            assertThat(dead.requests()).hasSize(calls);
            var pending = http.get("/v1/webhook-deliveries?instance=broken&status=pending&limit=200", tenant.token())
                    .json().get("data");
            assertThat(pending).hasSize(events);
            assertThat(pending).allMatch(d -> d.get("attempts").asInt() < 8);
        }
    }
}
