package ponte.bootstrap.bench;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import ponte.application.port.in.IngestEventUseCase.IngestEventCommand;
import ponte.bootstrap.GatewayFixture;
import ponte.domain.event.EventType;

/**
 * Not a test (surefire never picks it up by name): drives events through ingest to a local HTTP receiver and prints
 * events/s accepted, deliveries/s and ingest-to-receipt latency for 1 and for 50 webhooks. See docs/benchmarks.md:
 * {@code mvn -B -o verify -DskipITs -Dsurefire.failIfNoSpecifiedTests=false -Dtest=EventBenchmark -Dbench.events=5000}
 */
class EventBenchmark {
    private static final int EVENTS = Integer.getInteger("bench.events", 5000);
    private static final int PRODUCERS = Integer.getInteger("bench.producers", 16);
    /** The unsaturated case: one producer at this many events per second, for ten seconds. */
    private static final int PACED_RATE = Integer.getInteger("bench.paced", 50);

    @Test
    void oneAndFiftyWebhooks() throws Exception {
        System.out.printf("machine: %d cores, %s %s, JDK %s, max heap %d MB%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), Runtime.version(), Runtime.getRuntime().maxMemory() >> 20);
        run(1, false, 0, EVENTS);
        run(1, true, 0, EVENTS);
        run(50, true, 0, EVENTS);
        run(1, true, PACED_RATE, PACED_RATE * 10);
    }

    /** On the gateway's own embedded PostgreSQL (durable commits), in a fresh data folder; the first run warms up. */
    private static void run(int webhooks, boolean report, int rate, int events) throws Exception {
        var receipts = new ConcurrentHashMap<String, Long>();
        var received = new AtomicInteger();
        var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1000);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            long now = System.nanoTime();
            exchange.getRequestBody().readAllBytes();
            var key = exchange.getRequestHeaders().getFirst("X-Ponte-Event-Id") + exchange.getRequestURI().getPath();
            receipts.putIfAbsent(key, now);
            received.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        var url = "http://127.0.0.1:" + server.getAddress().getPort();
        var dataDir = java.nio.file.Files.createTempDirectory("ponte-bench");
        try (var gateway = GatewayFixture.start(Map.of("PONTE_RATE_LIMIT_INSTANCE_CREATES", "1000",
                "PONTE_WEBHOOK_PER_HOST", "64", "PONTE_DATABASE_URL", "", "PONTE_DATA_DIR", dataDir.toString()))) {
            var tenant = gateway.newTenant("bench");
            var instances = new ArrayList<UUID>();
            var perInstance = new ArrayList<Integer>();
            for (int created = 0, i = 0; created < webhooks; i++) {
                var instance = gateway.newInstance(tenant, "bench-" + i);
                int here = Math.min(3, webhooks - created);
                for (int w = 0; w < here; w++) {
                    gateway.http().post("/v1/instances/" + instance.id() + "/webhooks", tenant.token(),
                            "{\"label\":\"w" + w + "\",\"url\":\"" + url + "/" + instance.id() + "/" + w + "\"}");
                }
                instances.add(UUID.fromString(instance.id()));
                perInstance.add(here);
                created += here;
            }
            var ingest = gateway.gateway().ingest();
            var tenantId = UUID.fromString(tenant.id());
            var sent = new ConcurrentHashMap<String, Long>();
            int expected = 0;
            for (int e = 0; e < events; e++) {
                expected += perInstance.get(e % instances.size());
            }
            var next = new AtomicInteger();
            var cpuBefore = Cpu.snapshot(dataDir);
            long start = System.nanoTime();
            try (var producers = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int p = 0; p < (rate > 0 ? 1 : PRODUCERS); p++) {
                    producers.submit(() -> {
                        for (int e; (e = next.getAndIncrement()) < events; ) {
                            if (rate > 0) {
                                pace(start, e, rate);
                            }
                            var instance = instances.get(e % instances.size());
                            long before = System.nanoTime();
                            var event = ingest.ingest(new IngestEventCommand(tenantId, instance,
                                    EventType.MESSAGE_EXCHANGE, Map.of("type", "text", "text", "benchmark " + e),
                                    null));
                            sent.put(event.eventId().toString(), before);
                        }
                        return null;
                    });
                }
            }
            long accepted = System.nanoTime();
            long deadline = accepted + Duration.ofMinutes(10).toNanos();
            while (receipts.size() < expected && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            long done = System.nanoTime();
            var cpu = Cpu.snapshot(dataDir).minus(cpuBefore);
            var latencies = new ArrayList<Long>();
            receipts.forEach((key, at) -> {
                var sentAt = sent.get(key.substring(0, 36));
                if (sentAt != null) {
                    latencies.add(at - sentAt);
                }
            });
            if (report) {
                report(webhooks + (rate > 0 ? " webhook(s) paced at " + rate + " events/s" : " webhook(s)"), events,
                        expected, start, accepted, done, latencies, received.get());
                System.out.printf("  CPU during the run: gateway JVM (with receiver) %.1f s, PostgreSQL %.1f s, "
                        + "wall %.1f s on %d cores%n", cpu.jvmSeconds(), cpu.postgresSeconds(), (done - start) / 1e9,
                        Runtime.getRuntime().availableProcessors());
            }
        } finally {
            server.stop(0);
            deleteTree(dataDir);
        }
    }

    private static void deleteTree(java.nio.file.Path root) throws java.io.IOException {
        try (var paths = java.nio.file.Files.walk(root)) {
            for (var path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.deleteIfExists(path);
            }
        }
    }

    private static void pace(long start, int event, int rate) throws InterruptedException {
        long due = start + event * 1_000_000_000L / rate;
        long wait = due - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    private static void report(String scenario, int events, int deliveries, long start, long accepted, long done,
                               List<Long> latencies, int requests) {
        var sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        double ingestSeconds = (accepted - start) / 1e9;
        double totalSeconds = (done - start) / 1e9;
        System.out.printf("%s: %d events, %d deliveries (%d requests, %d received)%n", scenario, events,
                deliveries, requests, sorted.length);
        System.out.printf("  accepted: %.0f events/s (%.2f s)%n", events / ingestSeconds, ingestSeconds);
        System.out.printf("  delivered: %.0f deliveries/s (all received after %.2f s)%n", sorted.length / totalSeconds,
                totalSeconds);
        System.out.printf("  ingest -> receipt: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", percentile(sorted, 0.50),
                percentile(sorted, 0.99), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
    }

    /** CPU seconds used by this JVM and by the PostgreSQL serving the data folder (postmaster and backends). */
    record Cpu(double jvmSeconds, double postgresSeconds) {
        static Cpu snapshot(java.nio.file.Path dataDir) {
            double jvm = seconds(ProcessHandle.current());
            double postgres = ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().map(c -> c.contains(dataDir.toString())).orElse(false))
                    .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false))
                    .mapToDouble(p -> seconds(p) + p.descendants().mapToDouble(Cpu::seconds).sum())
                    .sum();
            return new Cpu(jvm, postgres);
        }

        Cpu minus(Cpu before) {
            return new Cpu(jvmSeconds - before.jvmSeconds, postgresSeconds - before.postgresSeconds);
        }

        private static double seconds(ProcessHandle process) {
            return process.info().totalCpuDuration().map(d -> d.toMillis() / 1000.0).orElse(0.0);
        }
    }
}
