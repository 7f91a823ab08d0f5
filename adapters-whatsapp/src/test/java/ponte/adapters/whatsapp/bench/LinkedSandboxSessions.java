package ponte.adapters.whatsapp.bench;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import ponte.adapters.whatsapp.client.ClientSettings;
import ponte.adapters.whatsapp.client.WaVersion;
import ponte.adapters.whatsapp.engine.WhatsAppEngine;
import ponte.adapters.whatsapp.sandbox.SandboxFixture;
import ponte.adapters.whatsapp.sandbox.SandboxOptions;
import ponte.adapters.whatsapp.sandbox.SandboxServer;
import ponte.adapters.whatsapp.socket.SocketSettings;
import ponte.adapters.whatsapp.store.DeviceStores;
import ponte.adapters.whatsapp.store.TestCipher;
import ponte.adapters.whatsapp.store.sql.SqlDeviceStore;
import ponte.adapters.whatsapp.sandbox.store.sql.SqlSandboxStore;
import ponte.application.port.in.InboundEventUseCase;
import ponte.application.port.in.SessionEventsUseCase;
import ponte.domain.instance.DisconnectReason;
import ponte.domain.instance.LinkedAccount;
import ponte.domain.proxy.EffectiveProxy;

/**
 * An engine and a sandbox in this JVM, with WhatsApp's own timings (keepalive every 20–30 s, the sandbox's pings
 * every 30 s), and a way to link many instances through them as a user would: start, scan the QR with a sandbox
 * phone, wait for the login after the 515 restart. For the thread-count test and the benchmark.
 */
public final class LinkedSandboxSessions implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(180);

    private final SandboxServer sandbox;
    private final WhatsAppEngine engine;
    private final Reports reports = new Reports();

    public LinkedSandboxSessions() throws Exception {
        var database = SandboxFixture.database();
        var store = SqlDeviceStore.migrateAndOpen(database, new TestCipher(), Clock.systemUTC());
        sandbox = SandboxFixture.start(SqlSandboxStore.migrateAndOpen(database),
                SandboxOptions.defaults("127.0.0.1", 0));
        var settings = ClientSettings.of(SocketSettings.whatsapp().withEndpoint(sandbox.wsUrl(), sandbox.trustRoot()),
                WaVersion.DEFAULT);
        engine = new WhatsAppEngine(settings, DeviceStores.of(store), () -> reports, () -> reports, () -> reports,
                Clock.systemUTC(), new SecureRandom());
    }

    /** Links {@code count} new instances, {@code parallel} at a time, each to a phone of its own; waits for all. */
    public void link(int count, int parallel) throws Exception {
        try (var pairing = Executors.newVirtualThreadPerTaskExecutor()) {
            var slots = new Semaphore(parallel);
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String phone = "55119" + String.format("%08d", reports.connected.size() + i);
                sandbox.phones().create(phone, "Bench " + i);
                slots.acquire();
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
                        slots.release();
                    }
                }, pairing));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
        }
    }

    /** How many linked instances the engine has online now. */
    public long online() {
        return reports.connected.keySet().stream().filter(engine::isOnline).count();
    }

    /** The disconnects reported so far, by instance. */
    public Map<UUID, DisconnectReason> disconnects() {
        return Map.copyOf(reports.disconnects);
    }

    /** Live platform threads ({@code getAllStackTraces} lists no virtual thread) and heap in use after GCs. */
    public static Figures measure() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        var live = Thread.getAllStackTraces().keySet().stream().filter(t -> !t.isVirtual() && t.isAlive()).toList();
        var byName = new TreeMap<String, Integer>();
        live.forEach(t -> byName.merge(t.getName().replaceAll("[0-9]+", "#"), 1, Integer::sum));
        var runtime = Runtime.getRuntime();
        return new Figures(live.size(), runtime.totalMemory() - runtime.freeMemory(), byName);
    }

    @Override
    public void close() throws Exception {
        engine.close();
        sandbox.close();
    }

    /** Platform threads alive, heap in use, and the platform threads by name (digits folded to #). */
    public record Figures(long platformThreads, long heapBytes, Map<String, Integer> byName) {
        @Override
        public String toString() {
            return String.format("%d live platform threads, heap in use %d MB; by name %s",
                    platformThreads, heapBytes >> 20, byName);
        }
    }

    /** The engine's reports, as futures per instance. */
    private static final class Reports implements SessionEventsUseCase, InboundEventUseCase,
            ponte.application.port.in.InboundMessagesUseCase {
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
        public void accountUpdated(UUID instanceId, LinkedAccount account) {
        }

        @Override
        public void disconnected(UUID instanceId, DisconnectReason reason) {
            disconnects.put(instanceId, reason);
        }

        @Override
        public void failed(UUID instanceId) {
        }

        @Override
        public java.util.Optional<ponte.domain.event.EventEnvelope> receive(UUID instanceId,
                ponte.domain.event.EventType type, Map<String, Object> data, Instant occurredAt) {
            return java.util.Optional.empty();
        }

        @Override
        public boolean exchanged(UUID instanceId, ponte.domain.message.MessageExchanged exchanged) {
            return true;
        }

        @Override
        public void receipt(UUID instanceId, Receipt receipt) {
        }

        @Override
        public int history(UUID instanceId, History history) {
            return 0;
        }
    }
}
