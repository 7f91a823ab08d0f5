package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety: the packaged gateway is SIGKILLed, and its embedded PostgreSQL with it, while deliveries are
 * pending; after a restart on the same data folder every accepted event still reaches its receiver.
 */
class CrashDeliveryIT {
    private static final String ADMIN = "pta_crash-test-admin-token-0123456789";
    private static final Map<String, String> ENV = Map.of(
            "PONTE_ADMIN_TOKEN", ADMIN,
            "PONTE_RATE_LIMIT_INSTANCE_CREATES", "1000",
            "PONTE_WEBHOOK_RETRY_SCHEDULE", "0s,300ms,1s,2s",
            "PONTE_WEBHOOK_RETRY_WINDOW", "1h",
            "PONTE_WEBHOOK_TIMEOUT_SECONDS", "2",
            "PONTE_WEBHOOK_POLL_MS", "100",
            "PONTE_WEBHOOK_CIRCUIT_OPEN_SECONDS", "3");
    private static final int EVENTS = 20;

    @TempDir
    Path dataDir;

    @AfterEach
    void leaveNothingRunning() throws Exception {
        GatewayProcess.stopOrphanedPostgres(dataDir);
    }

    @Test
    void everyAcceptedEventReachesItsReceiverAfterTheGatewayAndItsDatabaseAreKilled() throws Exception {
        try (var receiver = Receiver.start().answer(503)) {
            Set<String> accepted = new HashSet<>();
            String token;
            try (var first = GatewayProcess.start(dataDir, ENV)) {
                first.awaitHealthy(Duration.ofSeconds(90));
                var http = first.http();
                token = http.post("/v1/tenants", ADMIN, "{\"name\":\"crash\"}").json().get("token").asText();
                for (int i = 0; i < EVENTS; i++) {
                    var created = http.post("/v1/instances", token, "{\"name\":\"doomed-" + i
                            + "\",\"webhook\":{\"url\":\"" + receiver.url("/crash") + "\"}}");
                    assertThat(created.status()).as(created.toString()).isEqualTo(201);
                    // the created and deleted events are accepted when POST and DELETE answer: each is committed
                    // with its delivery to the inline webhook
                    assertThat(http.delete("/v1/instances/" + created.json().at("/instance/id").asText(), token)
                            .status()).isEqualTo(204);
                }
                var pending = http.get("/v1/webhook-deliveries?status=pending&limit=200", token).json().get("data");
                pending.forEach(delivery -> accepted.add(delivery.get("event_id").asText()));
                assertThat(accepted).hasSize(2 * EVENTS);
                // the dispatcher is at work (and the circuit for the failing receiver soon open) when it dies
                receiver.await(3, Duration.ofSeconds(30));
                first.kill();
                assertThat(Files.exists(dataDir.resolve("postgres/postmaster.pid"))).isTrue();
                GatewayProcess.killOrphanedPostgres(dataDir);
            }
            int before = receiver.requests().size();
            receiver.answer(200);
            try (var second = GatewayProcess.start(dataDir, ENV)) {
                second.awaitHealthy(Duration.ofSeconds(90));
                var delivered = new HashSet<String>();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!delivered.containsAll(accepted) && System.nanoTime() < deadline) {
                    var after = receiver.requests();
                    after.subList(before, after.size()).forEach(r -> delivered.add(r.eventId()));
                    Receiver.sleep(100);
                }
                assertThat(delivered).as("delivered after the restart; the log: %s", second.http()
                        .get("/v1/webhook-deliveries?limit=200", token)).containsAll(accepted);
                assertThat(second.stop()).isIn(0, 143);
            }
        }
    }

}
