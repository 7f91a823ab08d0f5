package ponte.adapters.whatsapp.bench;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import ponte.adapters.whatsapp.client.ClientSettings;
import ponte.adapters.whatsapp.client.WaVersion;
import ponte.adapters.whatsapp.engine.WhatsAppEngine;
import ponte.adapters.whatsapp.oracle.BaileysOracle;
import ponte.adapters.whatsapp.sandbox.PhoneInboxes;
import ponte.adapters.whatsapp.sandbox.SandboxFixture;
import ponte.adapters.whatsapp.sandbox.SandboxOptions;
import ponte.adapters.whatsapp.sandbox.SandboxServer;
import ponte.adapters.whatsapp.sandbox.store.sql.SqlSandboxStore;
import ponte.adapters.whatsapp.socket.SocketSettings;
import ponte.adapters.whatsapp.store.DeviceStores;
import ponte.adapters.whatsapp.store.TestCipher;
import ponte.adapters.whatsapp.store.sql.SqlDeviceStore;
import ponte.application.port.in.InboundEventUseCase;
import ponte.application.port.in.InboundMessagesUseCase;
import ponte.application.port.in.SessionEventsUseCase;
import ponte.application.port.out.MessagingPort;
import ponte.domain.event.EventEnvelope;
import ponte.domain.event.EventType;
import ponte.domain.instance.DisconnectReason;
import ponte.domain.instance.LinkedAccount;
import ponte.domain.message.Jid;
import ponte.domain.message.MessageExchanged;
import ponte.domain.message.MessageId;
import ponte.domain.proxy.EffectiveProxy;

/**
 * What the messaging benchmark runs on, all in this JVM except Baileys: one embedded PostgreSQL holding both our
 * device store and the sandbox's, the sandbox with WhatsApp's own timings, our engine, sandbox phones whose
 * decrypts are timed ({@link PhoneInboxes}), and instances linked to phones by QR scan as a user links them. What
 * the engine hands over as received is recorded with the time it was handed over.
 */
final class MessagingRig implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(120);

    private final SandboxServer sandbox;
    private final WhatsAppEngine engine;
    private final PhoneInboxes inboxes;
    private final Reports reports = new Reports();
    private final SecureRandom random = new SecureRandom();
    private final List<String> baileysSessions = new CopyOnWriteArrayList<>();
    private final int postgresPort;
    private final com.zaxxer.hikari.HikariDataSource database;

    MessagingRig() throws Exception {
        // pooled as the gateway pools it (bootstrap Database: HikariCP, 20 connections); the fixture's plain data
        // source opens a new connection for every statement, which would be most of what a run measures
        var pool = new com.zaxxer.hikari.HikariConfig();
        pool.setDataSource(SandboxFixture.database());
        pool.setMaximumPoolSize(20);
        pool.setConnectionTimeout(10_000);
        database = new com.zaxxer.hikari.HikariDataSource(pool);
        try (var connection = database.getConnection()) {
            var url = java.net.URI.create(connection.getMetaData().getURL().substring("jdbc:".length()));
            postgresPort = url.getPort();
        }
        var store = SqlDeviceStore.migrateAndOpen(database, new TestCipher(), Clock.systemUTC());
        var sandboxStore = SqlSandboxStore.migrateAndOpen(database);
        sandbox = SandboxFixture.start(sandboxStore, SandboxOptions.defaults("127.0.0.1", 0));
        var settings = ClientSettings.of(SocketSettings.whatsapp().withEndpoint(sandbox.wsUrl(), sandbox.trustRoot()),
                WaVersion.DEFAULT);
        engine = new WhatsAppEngine(settings, DeviceStores.of(store), () -> reports, () -> reports, () -> reports,
                Clock.systemUTC(), random);
        inboxes = new PhoneInboxes(sandbox);
    }

    /** CPU used so far by this JVM, the PostgreSQL behind both stores and the Baileys oracle. */
    CpuUse cpu() {
        return CpuUse.now(postgresPort);
    }

    SandboxServer sandbox() {
        return sandbox;
    }

    PhoneInboxes inboxes() {
        return inboxes;
    }

    /** A new sandbox phone whose decrypts are timed. */
    String phone(String number, String pushName) {
        sandbox.phones().create(number, pushName);
        inboxes.watch(number);
        return number;
    }

    /**
     * Links a new instance of our engine to {@code phone} by QR scan and waits until it is settled: logged in, its
     * prekeys uploaded and the phone's history bootstrap acked.
     */
    UUID linkInstance(String phone) throws Exception {
        var id = UUID.randomUUID();
        engine.start(id, EffectiveProxy.NONE);
        String qr = reports.qr(id).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        sandbox.phones().scan(phone, qr).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        reports.connected(id).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        reports.account(id).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await(() -> sandbox.phones().unacknowledged(phone) == 0);
        return id;
    }

    /** Links a new Baileys client (in the oracle's Node process) to {@code phone}; returns its session id. */
    String linkBaileys(String phone) throws Exception {
        String session = UUID.randomUUID().toString();
        String qr = oracle().call(BaileysOracle.request("baileysStart").put("id", session)
                .put("wsUrl", sandbox.wsUrl().toString())
                .put("rootPublicKey", HexFormat.of().formatHex(sandbox.trustRoot().publicKey()))
                .put("timeoutMs", WAIT.toMillis())).path("qr").asText();
        baileysSessions.add(session);
        sandbox.phones().scan(phone, qr).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        oracle().call(BaileysOracle.request("baileysAwaitOpen").put("id", session).put("timeoutMs", WAIT.toMillis()));
        await(() -> sandbox.phones().unacknowledged(phone) == 0);
        return session;
    }

    static BaileysOracle oracle() {
        return BaileysOracle.get();
    }

    /** A fresh message id of our account, as the application fixes one before the first try. */
    String newMessageId(String fromPhone) {
        byte[] bytes = new byte[MessageId.RANDOM_BYTES];
        random.nextBytes(bytes);
        return MessageId.generate(Instant.now(), Jid.phone(fromPhone), bytes).value();
    }

    /** Our engine sends a 1:1 text to phone {@code to} through its port; completes once the server acked it. */
    CompletableFuture<?> send(UUID instance, String to, String text, String messageId) {
        return engine.send(instance, new MessagingPort.WireMessage(new MessageId(messageId), Jid.phone(to), text,
                false, Optional.empty(), List.of()));
    }

    /** Our engine sends a text to group {@code groupJid} ({@code …@g.us}); completes once the server acked it. */
    CompletableFuture<?> sendToGroup(UUID instance, String groupJid, String text, String messageId) {
        return engine.send(instance, new MessagingPort.WireMessage(new MessageId(messageId),
                Jid.parse(groupJid).orElseThrow(), text, false, Optional.empty(), List.of()));
    }

    /** When our engine handed the message with this id over as received, in {@link PhoneInboxes#nowMicros()} time. */
    Optional<Long> handedOverAt(String messageId) {
        return Optional.ofNullable(reports.handedOver.get(messageId));
    }

    /** The ids of the texts our engine handed over as received from {@code chatJid}, in hand-over order. */
    List<String> handedOverFrom(String chatJid) {
        return reports.received.stream().filter(r -> r.chat().equals(chatJid)).map(Received::id).toList();
    }

    /** The texts our engine handed over as received, by message id. */
    Map<String, String> handedOverTexts() {
        Map<String, String> texts = new ConcurrentHashMap<>();
        reports.received.forEach(r -> texts.put(r.id(), r.text()));
        return texts;
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + WAIT);
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() throws Exception {
        for (String session : baileysSessions) {
            oracle().call(BaileysOracle.request("baileysEnd").put("id", session));
        }
        inboxes.close();
        engine.close();
        sandbox.close();
        database.close();
    }

    private record Received(String id, String chat, String text) {}

    /** The engine's reports, as futures per instance, and what it hands over as received, timed. */
    private static final class Reports implements SessionEventsUseCase, InboundEventUseCase, InboundMessagesUseCase {
        final Map<UUID, CompletableFuture<String>> qrs = new ConcurrentHashMap<>();
        final Map<UUID, CompletableFuture<LinkedAccount>> connected = new ConcurrentHashMap<>();
        final Map<UUID, CompletableFuture<LinkedAccount>> accounts = new ConcurrentHashMap<>();
        final Map<String, Long> handedOver = new ConcurrentHashMap<>();
        final List<Received> received = new CopyOnWriteArrayList<>();

        CompletableFuture<String> qr(UUID id) {
            return qrs.computeIfAbsent(id, x -> new CompletableFuture<>());
        }

        CompletableFuture<LinkedAccount> connected(UUID id) {
            return connected.computeIfAbsent(id, x -> new CompletableFuture<>());
        }

        CompletableFuture<LinkedAccount> account(UUID id) {
            return accounts.computeIfAbsent(id, x -> new CompletableFuture<>());
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
            account(instanceId).complete(account);
        }

        @Override
        public void disconnected(UUID instanceId, DisconnectReason reason) {
            if (reason != DisconnectReason.MANUAL) {
                System.out.printf("instance %s disconnected: %s%n", instanceId, reason);
            }
        }

        @Override
        public void failed(UUID instanceId) {
        }

        /** The engine hands messages over here today (as a message.exchange event) or through {@link #exchanged}. */
        @Override
        public Optional<EventEnvelope> receive(UUID instanceId, EventType type, Map<String, Object> data,
                                               Instant occurredAt) {
            if (type == EventType.MESSAGE_EXCHANGE) {
                handedOver(data);
            }
            return Optional.empty();
        }

        /** Where the application stores the message and publishes its message.exchange event. */
        @Override
        public boolean exchanged(UUID instanceId, MessageExchanged exchanged) {
            handedOver(exchanged.data());
            return true;
        }

        @SuppressWarnings("unchecked")
        private void handedOver(Map<String, Object> data) {
            long now = PhoneInboxes.nowMicros();
            if (data.get("message") instanceof Map<?, ?> message) {
                var fields = (Map<String, Object>) message;
                String id = String.valueOf(fields.get("id"));
                handedOver.putIfAbsent(id, now);
                received.add(new Received(id, String.valueOf(fields.get("chat_jid")),
                        String.valueOf(fields.get("text"))));
            }
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
