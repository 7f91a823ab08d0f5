package ponte.adapters.whatsapp.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ponte.adapters.whatsapp.client.ClientSettings;
import ponte.adapters.whatsapp.client.WaVersion;
import ponte.adapters.whatsapp.sandbox.SandboxFixture;
import ponte.adapters.whatsapp.sandbox.SandboxServer;
import ponte.adapters.whatsapp.socket.LocalProxies;
import ponte.adapters.whatsapp.socket.SocketSettings;
import ponte.adapters.whatsapp.store.DeviceStores;
import ponte.adapters.whatsapp.store.TestCipher;
import ponte.adapters.whatsapp.store.sql.SqlDeviceStore;
import ponte.adapters.whatsapp.sandbox.store.sql.SqlSandboxStore;
import ponte.application.port.out.MessagingPort;
import ponte.domain.instance.DisconnectReason;
import ponte.domain.instance.LinkedAccount;
import ponte.domain.proxy.EffectiveProxy;
import ponte.domain.proxy.Proxy;
import ponte.domain.proxy.ProxyProtocol;
import ponte.domain.proxy.ProxySource;
import ponte.domain.validation.ValidationException;

/** The engine runs instances' sessions against the sandbox: pairing, reconnecting, logging out, dialing proxies. */
class WhatsAppEngineTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String PHONE = "5511987650042";
    private static final String CALLER = "5511987650077";

    private final RecordedReports reports = new RecordedReports();
    private final Map<UUID, EffectiveProxy> proxies = new HashMap<>();
    private SandboxServer sandbox;
    private SqlDeviceStore store;
    private WhatsAppEngine engine;

    @TempDir
    java.nio.file.Path dir;

    @BeforeEach
    void start() throws Exception {
        var database = SandboxFixture.database();
        store = SqlDeviceStore.migrateAndOpen(database, new TestCipher(), Clock.systemUTC());
        sandbox = SandboxFixture.start(SqlSandboxStore.migrateAndOpen(database), SandboxFixture.fastOptions());
        sandbox.phones().create(PHONE, "Ana");
        var settings = SandboxFixture.fastClientSettings(sandbox);
        engine = new WhatsAppEngine(settings, DeviceStores.of(store), () -> reports, () -> reports, () -> reports,
                Clock.systemUTC(), new SecureRandom());
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
        sandbox.close();
    }

    @Test
    void aNewInstanceShowsAQrAndAScanLinksAndConnectsIt() throws Exception {
        var id = UUID.randomUUID();
        var account = pairByQr(id);
        assertThat(account.phoneNumber()).isEqualTo(PHONE);
        assertThat(account.lid()).endsWith("@lid");
        assertThat(engine.isOnline(id)).isTrue();
        assertThat(reports.kinds()).startsWith("connecting", "qr").contains("connected")
                .doesNotContain("disconnected(network)");
    }

    @Test
    void aStoppedInstanceReconnectsWithItsStoredCredentialsWithoutAQr() throws Exception {
        var id = UUID.randomUUID();
        pairByQr(id);
        engine.stop(id);
        assertThat(reports.await("disconnected", 0, WAIT).detail()).isEqualTo(DisconnectReason.MANUAL);
        assertThat(engine.isOnline(id)).isFalse();

        int before = reports.size();
        engine.start(id, proxyOf(id));
        reports.await("connected", before, WAIT);
        assertThat(reports.kinds().subList(before, reports.size())).doesNotContain("qr");
    }

    @Test
    void aLoggedOutInstanceLeavesThePhonesDeviceListAndLosesItsCredentials() throws Exception {
        var id = UUID.randomUUID();
        pairByQr(id);
        assertThat(sandbox.phones().devices(PHONE)).hasSize(1);
        engine.logout(id, proxyOf(id));
        assertThat(reports.await("disconnected", 0, WAIT).detail()).isEqualTo(DisconnectReason.LOGGED_OUT);
        assertThat(sandbox.phones().devices(PHONE)).isEmpty();
        assertThat(store.load(id)).isEmpty();
    }

    @Test
    void aPairingCodeTypedOnThePhoneLinksTheInstance() throws Exception {
        var id = UUID.randomUUID();
        var code = engine.requestPairingCode(id, PHONE, WAIT, proxyOf(id));
        assertThat(code.code()).matches("[1-9A-Z]{4}-[1-9A-Z]{4}");
        // the code is good while its registration lasts: until the last QR code (60 s + 5 × 20 s) expires
        assertThat(Duration.between(java.time.Instant.now(), code.expiresAt()))
                .isBetween(Duration.ofSeconds(150), Duration.ofSeconds(160));
        sandbox.phones().linkCode(PHONE, code.code()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        var connected = reports.await("connected", 0, WAIT);
        assertThat(((LinkedAccount) connected.detail()).phoneNumber()).isEqualTo(PHONE);
    }

    @Test
    void aPairingCodeForANumberNotOnWhatsAppIsAValidationErrorWithoutProtocolWords() {
        var id = UUID.randomUUID();
        assertThatThrownBy(() -> engine.requestPairingCode(id, "5511900000001", WAIT, proxyOf(id)))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.violations()).extracting(v -> v.field() + " " + v.problem())
                            .containsExactly("phone_number is not on WhatsApp");
                    assertThat(e.getMessage()).doesNotContainIgnoringCase("iq").doesNotContain("404")
                            .doesNotContainIgnoringCase("item-not-found");
                });
    }

    @Test
    void aWrongCodeTypedOnThePhoneEndsTheAttemptAsRejected() throws Exception {
        var id = UUID.randomUUID();
        var code = engine.requestPairingCode(id, PHONE, WAIT, proxyOf(id)).code();
        var link = sandbox.phones().linkCode(PHONE, code.equals("ABCD-EFGH") ? "ABCD-EFGJ" : "ABCD-EFGH");
        assertThatThrownBy(() -> link.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);

        var ended = reports.await("disconnected", 0, WAIT);

        assertThat(ended.detail()).as(reports.kinds().toString()).isEqualTo(DisconnectReason.PAIRING_CODE_REJECTED);
        assertThat(engine.isRunning(id)).isFalse();
        Thread.sleep(500);
        assertThat(reports.kinds()).containsExactly("connecting", "qr", "disconnected(pairing_code_rejected)");
        assertThat(sandbox.phones().devices(PHONE)).isEmpty();
    }

    @Test
    void anIncomingCallIsKeptAsACallUpdateBeforeTheServerHearsItArrived() throws Exception {
        var id = UUID.randomUUID();
        sandbox.phones().create(CALLER, "Bia");
        pairByQr(id);
        int before = reports.size();

        String callId = sandbox.phones().call(CALLER, PHONE, true);

        var received = reports.await("received(call.update)", before, WAIT);
        @SuppressWarnings("unchecked")
        var data = (Map<String, Object>) received.detail();
        assertThat(data).containsEntry("type", "offer").containsEntry("call_id", callId)
                .containsEntry("from", CALLER + "@s.whatsapp.net").containsEntry("video", true);
        awaitUnacknowledged(0);
    }

    @Test
    void aCallTheStoreFailedToKeepStaysUnacknowledgedAndArrivesAgainOnTheNextConnection() throws Exception {
        var id = UUID.randomUUID();
        sandbox.phones().create(CALLER, "Bia");
        pairByQr(id);
        reports.failNextReceived(1);

        String callId = sandbox.phones().call(CALLER, PHONE, false);

        reports.awaitFailedAttempts(1, WAIT);
        Thread.sleep(500); // an ack, had one been sent, would have reached the sandbox by now
        assertThat(sandbox.phones().unacknowledged(PHONE)).isEqualTo(1);
        assertThat(reports.received()).isEmpty();
        assertThat(engine.isOnline(id)).as("a storage failure does not break the connection").isTrue();

        int before = reports.size();
        engine.reconnect(id, proxyOf(id));

        reports.await("received(call.update)", before, WAIT);
        awaitUnacknowledged(0);
        assertThat(reports.received()).singleElement().satisfies(call -> assertThat(call)
                .containsEntry("call_id", callId).containsEntry("video", false));
    }

    @Test
    void anUnreachableProxyIsReportedOnceAsAProxyErrorWhileTheClientKeepsRetrying() throws Exception {
        var id = UUID.randomUUID();
        int closedPort;
        try (var probe = new java.net.ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        proxies.put(id, new EffectiveProxy(ProxySource.INSTANCE,
                Optional.of(new Proxy(ProxyProtocol.SOCKS5, "127.0.0.1", closedPort, "u", "p"))));
        engine.start(id, proxyOf(id));
        assertThat(reports.await("disconnected", 0, WAIT).detail()).isEqualTo(DisconnectReason.PROXY_ERROR);
        Thread.sleep(1_500); // several retries at the test's 100 ms backoff step
        assertThat(reports.kinds()).containsExactly("connecting", "disconnected(proxy_error)");
    }

    @Test
    void anUnreachableNetworkWithoutAProxyIsANetworkDropNotAProxyError() throws Exception {
        int closedPort;
        try (var probe = new java.net.ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        var nowhere = ClientSettings.of(SocketSettings.whatsapp().withEndpoint(
                java.net.URI.create("ws://127.0.0.1:" + closedPort + "/ws/chat"), sandbox.trustRoot()),
                WaVersion.DEFAULT).withTimings(Duration.ofSeconds(5), Duration.ofMillis(500), Duration.ofMillis(800),
                Duration.ofSeconds(5), Duration.ofMillis(100));
        engine = new WhatsAppEngine(nowhere, DeviceStores.of(store), () -> reports, () -> reports, () -> reports,
                Clock.systemUTC(), new SecureRandom());
        engine.start(UUID.randomUUID(), EffectiveProxy.NONE);
        var first = reports.await("disconnected", 0, WAIT);
        assertThat(first.detail()).as(reports.kinds().toString()).isEqualTo(DisconnectReason.NETWORK);
    }

    @Test
    void anInstanceDialsThroughARealSocks5ProxyWithCredentials() throws Exception {
        requireRealProxies();
        try (var dante = LocalProxies.dante(dir)) {
            var id = UUID.randomUUID();
            proxies.put(id, new EffectiveProxy(ProxySource.TENANT, Optional.of(new Proxy(ProxyProtocol.SOCKS5,
                    "127.0.0.1", dante.port(), LocalProxies.USER, LocalProxies.PASSWORD))));
            pairByQr(id);
            assertThat(engine.isOnline(id)).isTrue();
            dante.awaitLog(WAIT, LocalProxies.danteRelayed(sandbox.wsUrl().getPort()));
        }
    }

    @Test
    void anInstanceDialsThroughARealHttpProxyWithCredentials() throws Exception {
        requireRealProxies();
        try (var tinyproxy = LocalProxies.tinyproxy(dir)) {
            var id = UUID.randomUUID();
            proxies.put(id, new EffectiveProxy(ProxySource.INSTANCE, Optional.of(new Proxy(ProxyProtocol.HTTP,
                    "127.0.0.1", tinyproxy.port(), LocalProxies.USER, LocalProxies.PASSWORD))));
            reports.await("qr", 0, WAIT.plusMillis(startAndReturnZero(id)));
            tinyproxy.awaitLog(WAIT, LocalProxies.tinyproxyRequested(sandbox.wsUrl().getPort()));
            tinyproxy.awaitLog(WAIT, LocalProxies.tinyproxyRelayed());
        }
    }

    @Test
    void aProxyRefusingTheCredentialsIsAProxyError() throws Exception {
        requireRealProxies();
        try (var tinyproxy = LocalProxies.tinyproxy(dir)) {
            var id = UUID.randomUUID();
            proxies.put(id, new EffectiveProxy(ProxySource.INSTANCE, Optional.of(new Proxy(ProxyProtocol.HTTP,
                    "127.0.0.1", tinyproxy.port(), LocalProxies.USER, "wrong"))));
            engine.start(id, proxyOf(id));
            assertThat(reports.await("disconnected", 0, WAIT).detail()).isEqualTo(DisconnectReason.PROXY_ERROR);
            tinyproxy.awaitLog(WAIT, LocalProxies.tinyproxyRequested(sandbox.wsUrl().getPort()));
            assertThat(tinyproxy.log()).doesNotContainPattern(LocalProxies.tinyproxyRelayed());
        }
    }

    @Test
    void aProxyThatDiesUnderALiveSessionIsAProxyErrorNotANetworkDrop() throws Exception {
        requireRealProxies();
        var id = UUID.randomUUID();
        var tinyproxy = LocalProxies.tinyproxy(dir);
        try {
            proxies.put(id, new EffectiveProxy(ProxySource.INSTANCE, Optional.of(new Proxy(ProxyProtocol.HTTP,
                    "127.0.0.1", tinyproxy.port(), LocalProxies.USER, LocalProxies.PASSWORD))));
            pairByQr(id);
            int before = reports.size();

            tinyproxy.close();

            var dropped = reports.await("disconnected", before, WAIT);
            assertThat(dropped.detail()).as(reports.kinds().toString()).isEqualTo(DisconnectReason.PROXY_ERROR);
            Thread.sleep(1_000); // retries at the test's 100 ms step, all failing at the dead proxy
            assertThat(reports.kinds().subList(before, reports.size())).containsExactly("disconnected(proxy_error)");
        } finally {
            tinyproxy.close();
        }
    }

    @Test
    void startingWithTheRightProxyWhileTheWrongOneFailsDialsTheNewOneAtOnce() throws Exception {
        requireRealProxies();
        try (var tinyproxy = LocalProxies.tinyproxy(dir)) {
            var id = UUID.randomUUID();
            var right = new EffectiveProxy(ProxySource.INSTANCE, Optional.of(new Proxy(ProxyProtocol.HTTP,
                    "127.0.0.1", tinyproxy.port(), LocalProxies.USER, LocalProxies.PASSWORD)));
            var wrong = new EffectiveProxy(ProxySource.INSTANCE, Optional.of(new Proxy(ProxyProtocol.HTTP,
                    "127.0.0.1", tinyproxy.port(), LocalProxies.USER, "wrong")));
            proxies.put(id, right);
            pairByQr(id);
            int linked = reports.size();
            engine.reconnect(id, wrong);
            assertThat(reports.await("disconnected", linked, WAIT).detail()).isEqualTo(DisconnectReason.PROXY_ERROR);
            assertThat(engine.isRunning(id)).isTrue();

            int failing = reports.size();
            engine.start(id, right);

            reports.await("connected", failing, WAIT);
            assertThat(engine.isOnline(id)).isTrue();
            Thread.sleep(1_000); // the old loop, dialling with the wrong password every 100 ms, would report again
            assertThat(reports.kinds().subList(failing, reports.size())).containsExactly("connecting", "connected");
            assertThat(engine.isOnline(id)).isTrue();
        }
    }

    @Test
    void anOutdatedClientIsToldSoOnceAndStopsRetrying() throws Exception {
        sandbox.close();
        var database = SandboxFixture.database();
        sandbox = SandboxFixture.start(SqlSandboxStore.migrateAndOpen(database),
                SandboxFixture.fastOptions().withMinimumClientRevision(Long.MAX_VALUE));
        var settings = SandboxFixture.fastClientSettings(sandbox);
        engine = new WhatsAppEngine(settings, DeviceStores.of(store), () -> reports, () -> reports, () -> reports,
                Clock.systemUTC(), new SecureRandom());
        var id = UUID.randomUUID();
        engine.start(id, proxyOf(id));
        assertThat(reports.await("disconnected", 0, WAIT).detail()).isEqualTo(DisconnectReason.OUTDATED);
        Thread.sleep(1_000); // the test's backoff step is 100 ms: a retry loop would have reported again by now
        assertThat(reports.kinds()).containsExactly("connecting", "disconnected(outdated)");
        assertThat(engine.isOnline(id)).isFalse();
    }

    @Test
    void aLinkedInstanceSendsATextThatTheRecipientsPhoneDecryptsUnderTheIdWeFixed() throws Exception {
        var id = UUID.randomUUID();
        pairByQr(id);
        sandbox.phones().create("5511987659999", "Caio");
        byte[] bytes = new byte[ponte.domain.message.MessageId.RANDOM_BYTES];
        new java.security.SecureRandom().nextBytes(bytes);
        var messageId = ponte.domain.message.MessageId.generate(java.time.Instant.now(),
                ponte.domain.message.Jid.phone(PHONE), bytes);
        var message = new MessagingPort.WireMessage(messageId, ponte.domain.message.Jid.phone("5511987659999"),
                "Olá Caio", true, Optional.empty(), List.of());

        var acked = engine.send(id, message).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(acked).isBetween(java.time.Instant.now().minusSeconds(60), java.time.Instant.now().plusSeconds(1));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (sandbox.phones().received("5511987659999").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(sandbox.phones().received("5511987659999")).singleElement().satisfies(received -> {
            assertThat(received.id()).isEqualTo(messageId.value());
            assertThat(received.text()).isEqualTo("Olá Caio");
        });
        assertThatThrownBy(() -> engine.send(UUID.randomUUID(), message).join())
                .hasCauseInstanceOf(MessagingPort.Offline.class);
    }

    private long startAndReturnZero(UUID id) {
        engine.start(id, proxyOf(id));
        return 0;
    }

    private LinkedAccount pairByQr(UUID id) throws Exception {
        int before = reports.size();
        engine.start(id, proxyOf(id));
        var qr = (String) reports.await("qr", before, WAIT).detail();
        sandbox.phones().scan(PHONE, qr).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        var connected = (LinkedAccount) reports.await("connected", before, WAIT).detail();
        // the phone's history bootstrap (our push name) follows the first login: settled before the test goes on
        reports.await("account", before, WAIT);
        awaitUnacknowledged(0);
        return connected;
    }

    private void awaitUnacknowledged(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (sandbox.phones().unacknowledged(PHONE) != expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(sandbox.phones().unacknowledged(PHONE)).isEqualTo(expected);
    }

    private static void requireRealProxies() {
        var missing = LocalProxies.unavailable();
        if (missing.isPresent() && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("proxy tests need Debian's tinyproxy and dante under CI: " + missing.get());
        }
        assumeTrue(missing.isEmpty(), () -> "skipped: " + missing.orElse(""));
    }

    private EffectiveProxy proxyOf(UUID id) {
        return proxies.getOrDefault(id, EffectiveProxy.NONE);
    }
}
