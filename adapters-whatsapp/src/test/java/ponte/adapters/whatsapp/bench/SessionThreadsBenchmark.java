package ponte.adapters.whatsapp.bench;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.client.ClientSettings;
import ponte.adapters.whatsapp.client.WaVersion;
import ponte.adapters.whatsapp.engine.WhatsAppEngine;
import ponte.adapters.whatsapp.sandbox.SandboxFixture;
import ponte.adapters.whatsapp.sandbox.SandboxOptions;
import ponte.adapters.whatsapp.socket.SocketSettings;
import ponte.adapters.whatsapp.store.DeviceStores;
import ponte.adapters.whatsapp.store.TestCipher;
import ponte.adapters.whatsapp.store.sql.SqlDeviceStore;
import ponte.adapters.whatsapp.store.sql.SqlSandboxStore;
import ponte.application.port.in.SessionEventsUseCase;
import ponte.domain.instance.DisconnectReason;
import ponte.domain.instance.LinkedAccount;
import ponte.domain.proxy.EffectiveProxy;

/**
 * Not a test (surefire never picks it up by name): links {@code bench.sessions} instances to the sandbox through
 * the engine (QR scanned by a sandbox phone, 515 restart, login), keeps them online with the real keepalive and
 * the sandbox's real ping interval, then prints the live platform threads and the heap in use. See
 * docs/benchmarks.md:
 * {@code mvn -B -o -pl adapters-whatsapp -am verify -Dsurefire.failIfNoSpecifiedTests=false
 * -Dtest=SessionThreadsBenchmark -Dbench.sessions=500}
 */
class SessionThreadsBenchmark {
    private static final int SESSIONS = Integer.getInteger("bench.sessions", 500);
    /** How many instances pair at the same time. */
    private static final int PARALLEL = Integer.getInteger("bench.parallel", 25);
    private static final Duration WAIT = Duration.ofSeconds(120);

    @Test
    void linkedSessions() throws Exception {
        System.out.printf("machine: %d cores, %s %s, JDK %s, max heap %d MB%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), Runtime.version(), Runtime.getRuntime().maxMemory() >> 20);
        var database = SandboxFixture.database();
        var store = SqlDeviceStore.migrateAndOpen(database, new TestCipher(), Clock.systemUTC());
        var sandbox = SandboxFixture.start(SqlSandboxStore.migrateAndOpen(database),
                SandboxOptions.defaults("127.0.0.1", 0));
        var reports = new Reports();
        var settings = ClientSettings.of(SocketSettings.whatsapp().withEndpoint(sandbox.wsUrl(), sandbox.trustRoot()),
                WaVersion.DEFAULT);
        var engine = new WhatsAppEngine(settings, DeviceStores.of(store), () -> reports, Clock.systemUTC(),
                new SecureRandom());
        try {
            settle();
            var before = measure();
            System.out.printf("before any session: %s%n", before);
            Instant started = Instant.now();
            try (var pairing = Executors.newVirtualThreadPerTaskExecutor()) {
                var semaphore = new java.util.concurrent.Semaphore(PARALLEL);
                List<CompletableFuture<Void>> all = new ArrayList<>();
                for (int i = 0; i < SESSIONS; i++) {
                    String phone = "55119" + String.format("%08d", i);
                    sandbox.phones().create(phone, "Bench " + i);
                    semaphore.acquire();
                    all.add(CompletableFuture.runAsync(() -> {
                        try {
                            var id = UUID.randomUUID();
                            engine.start(id, EffectiveProxy.NONE);
                            String qr = reports.qr(id).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                            sandbox.phones().scan(phone, qr).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                            reports.connected(id).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        } finally {
                            semaphore.release();
                        }
                    }, pairing));
                }
                CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
            }
            System.out.printf("%d sessions linked and online in %d s%n", SESSIONS,
                    Duration.between(started, Instant.now()).toSeconds());
            // a minute online: keepalive pings and the sandbox's pings both run at least once per session
            Thread.sleep(Long.getLong("bench.online.ms", 60_000));
            var after = measure();
            long online = reports.connected.values().stream().filter(CompletableFuture::isDone).count();
            System.out.printf("with %d linked sessions online (%d reported connected, %d disconnects): %s%n",
                    SESSIONS, online, reports.disconnects.size(), after);
            System.out.printf("per session: %.2f platform threads, %.1f KB heap%n",
                    (after.platformThreads() - before.platformThreads()) / (double) SESSIONS,
                    (after.heapBytes() - before.heapBytes()) / 1024.0 / SESSIONS);
        } finally {
            engine.close();
            sandbox.close();
        }
    }

    /** Live platform threads ({@code getAllStackTraces} lists no virtual thread) and heap in use after a full GC. */
    private static Figures measure() {
        settle();
        var live = Thread.getAllStackTraces().keySet().stream().filter(t -> !t.isVirtual() && t.isAlive()).toList();
        var byName = new java.util.TreeMap<String, Integer>();
        live.forEach(t -> byName.merge(t.getName().replaceAll("[0-9]+", "#"), 1, Integer::sum));
        var runtime = Runtime.getRuntime();
        return new Figures(live.size(), runtime.totalMemory() - runtime.freeMemory(), byName);
    }

    private static void settle() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    record Figures(long platformThreads, long heapBytes, Map<String, Integer> byName) {
        @Override
        public String toString() {
            return String.format("%d live platform threads, heap in use %d MB; by name %s",
                    platformThreads, heapBytes >> 20, byName);
        }
    }

    /** The engine's reports, as futures per instance. */
    private static final class Reports implements SessionEventsUseCase {
        final Map<UUID, CompletableFuture<String>> qrs = new ConcurrentHashMap<>();
        final Map<UUID, CompletableFuture<LinkedAccount>> connected = new ConcurrentHashMap<>();
        final Map<UUID, DisconnectReason> disconnects = new ConcurrentHashMap<>();

        CompletableFuture<String> qr(UUID id) {
            return qrs.computeIfAbsent(id, x -> new CompletableFuture<>());
        }

        CompletableFuture<LinkedAccount> connected(UUID id) {
            return connected.computeIfAbsent(id, x -> new CompletableFuture<>());
        }

        @Override
        public void connecting(UUID instanceId) {
        }

        @Override
        public void qrShown(UUID instanceId, String qr, Instant expiresAt) {
            qr(instanceId).complete(qr);
        }

        @Override
        public void connected(UUID instanceId, LinkedAccount account) {
            connected(instanceId).complete(account);
        }

        @Override
        public void disconnected(UUID instanceId, DisconnectReason reason) {
            disconnects.put(instanceId, reason);
        }

        @Override
        public void failed(UUID instanceId) {
        }
    }
}
