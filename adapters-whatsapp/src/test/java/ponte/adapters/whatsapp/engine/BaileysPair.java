package ponte.adapters.whatsapp.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import ponte.adapters.whatsapp.oracle.BaileysOracle;
import ponte.adapters.whatsapp.sandbox.SandboxFixture;
import ponte.adapters.whatsapp.sandbox.SandboxServer;
import ponte.adapters.whatsapp.sandbox.store.sql.SqlSandboxStore;
import ponte.adapters.whatsapp.store.DeviceStores;
import ponte.adapters.whatsapp.store.TestCipher;
import ponte.adapters.whatsapp.store.sql.SqlDeviceStore;
import ponte.application.port.out.MessagingPort;
import ponte.domain.message.Jid;
import ponte.domain.message.MessageId;
import ponte.domain.proxy.EffectiveProxy;

/**
 * The set-up every engine-level Baileys oracle test shares: one sandbox over a fresh database with two phones, our
 * engine linked as a companion of {@code ours} (prekeys on the server before anything is sent), and an unmodified
 * Baileys linked as a companion of {@code baileys}. The helpers send from either side and wait for what the other
 * side got.
 */
final class BaileysPair implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final int TIMEOUT_MS = (int) WAIT.toMillis();
    private static final ObjectMapper JSON = new ObjectMapper();

    final String ours;
    final String baileys;
    final RecordedReports reports = new RecordedReports();
    final String session = UUID.randomUUID().toString();
    final UUID id = UUID.randomUUID();
    final SandboxServer sandbox;
    final SqlSandboxStore sandboxStore;
    final WhatsAppEngine engine;
    private final SecureRandom random = new SecureRandom();

    private BaileysPair(String ours, String baileys) throws Exception {
        this.ours = ours;
        this.baileys = baileys;
        var database = SandboxFixture.database();
        var store = SqlDeviceStore.migrateAndOpen(database, new TestCipher(), Clock.systemUTC());
        sandboxStore = SqlSandboxStore.migrateAndOpen(database);
        sandbox = SandboxFixture.start(sandboxStore, SandboxFixture.fastOptions());
        sandbox.phones().create(ours, "Ana");
        sandbox.phones().create(baileys, "Bruno");
        var settings = SandboxFixture.fastClientSettings(sandbox);
        engine = new WhatsAppEngine(settings, DeviceStores.of(store), () -> reports, () -> reports, () -> reports,
                Clock.systemUTC(), random);
    }

    /** Links our engine to {@code ours} and Baileys to {@code baileys}; both are open when this returns. */
    static BaileysPair link(String ours, String baileys) throws Exception {
        var pair = new BaileysPair(ours, baileys);
        try {
            pair.linkBoth();
        } catch (Exception | AssertionError e) {
            pair.close();
            throw e;
        }
        return pair;
    }

    private void linkBoth() throws Exception {
        int before = reports.size();
        engine.start(id, EffectiveProxy.NONE);
        var qr = (String) reports.await("qr", before, WAIT).detail();
        sandbox.phones().scan(ours, qr).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        reports.await("connected", before, WAIT);
        int device = sandbox.phones().devices(ours).getFirst().device();
        awaitUntil(() -> sandboxStore.phones().preKeyCount(ours, device) > 0);
        String baileysQr = call(BaileysOracle.request("baileysStart").put("id", session)
                .put("wsUrl", sandbox.wsUrl().toString())
                .put("rootPublicKey", HexFormat.of().formatHex(sandbox.trustRoot().publicKey()))
                .put("timeoutMs", TIMEOUT_MS)).path("qr").asText();
        sandbox.phones().scan(baileys, baileysQr).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        call(BaileysOracle.request("baileysAwaitOpen").put("id", session).put("timeoutMs", TIMEOUT_MS));
    }

    /** One request to the shared Baileys process; a failed operation is an {@link AssertionError}. */
    JsonNode call(ObjectNode request) {
        return BaileysOracle.get().call(request);
    }

    /** A request for this pair's Baileys session. */
    ObjectNode request(String op) {
        return BaileysOracle.request(op).put("id", session);
    }

    /** Our engine sends {@code content} to the Baileys phone; returns once the server acked it. */
    MessageId send(MessagingPort.WireContent content) throws Exception {
        byte[] bytes = new byte[MessageId.RANDOM_BYTES];
        random.nextBytes(bytes);
        var message = new MessagingPort.WireMessage(MessageId.generate(Instant.now(), Jid.phone(ours), bytes),
                Jid.phone(baileys), content, Optional.empty(), List.of());
        engine.send(id, message).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return message.id();
    }

    /** Baileys' own {@code sendMessage(to, content)} with {@code content} as JSON; returns its message id. */
    String baileysSend(String to, String content) throws Exception {
        var request = request("baileysSend").put("to", to);
        request.set("content", JSON.readTree(content));
        return call(request).path("messageId").asText();
    }

    /** The message with {@code messageId} as Baileys upserted it. */
    JsonNode awaitBaileys(String messageId) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (var m : call(request("baileysMessages").put("count", 0).put("timeoutMs", TIMEOUT_MS))
                    .path("messages")) {
                if (m.path("id").asText().equals(messageId)) {
                    return m;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Baileys never upserted " + messageId);
    }

    static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + WAIT);
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            call(request("baileysEnd"));
        } finally {
            engine.close();
            sandbox.close();
        }
    }
}
