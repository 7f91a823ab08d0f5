package ponte.bootstrap.bench;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import ponte.bootstrap.GatewayFixture;

/**
 * Not a test (surefire never picks it up by name): docs/benchmarks.md's History sync figure. A sandbox phone seeded
 * with N messages over 100 chats is linked to an instance with {@code skip_history_sync: false}, through the real
 * gateway ({@code PONTE_WHATSAPP=sandbox}, in this JVM); it prints how long the history took from the scan to the
 * last message stored, the JVM's peak used heap meanwhile (sampled every 50 ms, after a GC before the link; the
 * sandbox phone's own copy of the history is part of it), and checks that every message was stored once and a live
 * message sent during the ingest got through.
 * {@code mvn -B -o -pl bootstrap -am verify -DskipITs -Dsurefire.failIfNoSpecifiedTests=false
 * -Dtest=HistorySyncBenchmark -Dbench.history=50000}
 */
class HistorySyncBenchmark {
    private static final int MESSAGES = Integer.getInteger("bench.history", 5_000);
    private static final String ADMIN = GatewayFixture.ADMIN_TOKEN;
    private static final Duration PATIENCE = Duration.ofMinutes(30);

    @Test
    void aBigHistoryGoesInWithBoundedMemory() throws Exception {
        try (var gateway = GatewayFixture.start(Map.of("PONTE_WHATSAPP", "sandbox", "PONTE_SANDBOX_PORT", "0"))) {
            var http = gateway.http();
            var tenant = gateway.newTenant("bench");
            var instance = gateway.newInstance(tenant, "bench");
            String base = "/v1/instances/" + instance.id();
            String ours = "5511870000001";
            String peer = "5511870000002";
            for (var number : new String[] {ours, peer}) {
                check(http.post("/v1/sandbox/phones", ADMIN, "{\"phone_number\": \"" + number
                        + "\", \"push_name\": \"P" + number + "\"}"), 201);
            }
            check(http.post("/v1/sandbox/phones/" + ours + "/history", ADMIN, "{\"count\": " + MESSAGES
                    + ", \"chats\": 100}"), 200);
            check(http.put(base + "/settings", tenant.token(), "{\"skip_history_sync\": false}"), 200);
            String qr = http.post(base + "/connect", tenant.token(), null).json().at("/qr/raw").asText();

            var runtime = Runtime.getRuntime();
            System.gc();
            long baseline = runtime.totalMemory() - runtime.freeMemory();
            var peak = new AtomicLong(baseline);
            var sampler = Thread.ofPlatform().daemon().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(runtime.totalMemory() - runtime.freeMemory(), Math::max);
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            long start = System.nanoTime();
            check(http.post("/v1/sandbox/phones/" + ours + "/scan", ADMIN, "{\"qr\":\"" + qr + "\"}"), 200);
            await(() -> http.get(base, tenant.token()).json().at("/instance/status").asText().equals("connected"));
            // a live message while the history goes in: it must not wait for the history (sent once the history
            // started, so the new device's keys, which a sender needs, are published)
            await(() -> stored(gateway, instance.id().toString()) > 0);
            String live = http.post("/v1/sandbox/phones/" + peer + "/messages", ADMIN, "{\"to\": \"" + ours
                    + "\", \"text\": \"live\"}").json().at("/message/id").asText();
            long liveSent = System.nanoTime();
            await(() -> http.get(base + "/messages/" + live, tenant.token()).status() == 200);
            double liveMs = (System.nanoTime() - liveSent) / 1e6;
            long storedLive = stored(gateway, instance.id().toString());
            await(() -> stored(gateway, instance.id().toString()) >= MESSAGES + 1);
            double seconds = (System.nanoTime() - start) / 1e9;
            sampler.interrupt();
            long total = stored(gateway, instance.id().toString());
            if (total != MESSAGES + 1) {
                throw new AssertionError("stored " + total + " messages, expected " + (MESSAGES + 1));
            }
            System.out.printf("history of %d messages over 100 chats: stored in %.1f s (%.0f messages/s) from the"
                    + " scan; peak heap %d MB over a %d MB baseline (max heap %d MB); a live message during the"
                    + " ingest stored in %.0f ms, with %d of the history stored by then%n", MESSAGES, seconds,
                    MESSAGES / seconds, (peak.get() - baseline) >> 20, baseline >> 20,
                    runtime.maxMemory() >> 20, liveMs, storedLive - 1);
        }
    }

    private static long stored(GatewayFixture gateway, String instanceId) {
        try (var connection = gateway.database().dataSource().getConnection();
             var result = connection.createStatement().executeQuery(
                     "select count(*) from messages where instance_id = '" + instanceId + "'")) {
            result.next();
            return result.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void check(ponte.bootstrap.Http.Response response, int status) {
        if (response.status() != status) {
            throw new AssertionError(response.toString());
        }
    }

    private static void await(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + PATIENCE);
            }
            Thread.sleep(100);
        }
    }
}
