package ponte.adapters.whatsapp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.sandbox.SandboxFixture;
import ponte.adapters.whatsapp.sandbox.SandboxOptions;
import ponte.adapters.whatsapp.sandbox.SandboxServer;
import ponte.adapters.whatsapp.sandbox.TestChains;
import ponte.adapters.whatsapp.socket.ProxyCredentials;
import ponte.adapters.whatsapp.socket.SocketOpener;
import ponte.adapters.whatsapp.socket.SocketSettings;
import ponte.adapters.whatsapp.socket.TestProxies;
import ponte.adapters.whatsapp.sandbox.store.SandboxDevice;
import ponte.adapters.whatsapp.sandbox.store.SandboxStore;
import ponte.adapters.whatsapp.sandbox.store.sql.SqlSandboxStore;
import ponte.adapters.whatsapp.store.DeviceCredentials;

/** Our wire client against our sandbox over a real loopback WebSocket. */
class WireClientSandboxTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String PHONE = "15550001111";
    private final SecureRandom random = new SecureRandom();
    private SandboxStore store;
    private SandboxServer sandbox;
    private WireClient client;

    @BeforeEach
    void startSandbox() throws Exception {
        store = SqlSandboxStore.migrateAndOpen(SandboxFixture.database());
        sandbox = SandboxFixture.start(store, SandboxFixture.fastOptions());
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        sandbox.close();
    }

    @Test
    void aNewDeviceIsShownAQrCodeCarryingItsKeys() throws Exception {
        DeviceCredentials keys = DeviceCredentials.generate(random);
        StatusRecorder recorder = new StatusRecorder();
        client = newClient(settings(sandbox), keys, Optional.empty(), recorder);

        client.connect();

        String qr = recorder.awaitQr(WAIT);
        assertThat(qr).startsWith("https://wa.me/settings/linked_devices#2@")
                .contains("," + Base64.getEncoder().encodeToString(keys.noiseKey().publicKey()) + ",")
                .contains("," + Base64.getEncoder().encodeToString(keys.identityKey().publicKey()) + ",")
                .endsWith(",1");
        assertThat(client.status().state()).isEqualTo(ConnectionState.AWAITING_QR_SCAN);
    }

    @Test
    void aRegistrationWhoseQrCodesAllExpiredEndsInQrTimeoutWithoutAnotherAttempt() throws Exception {
        sandbox.close();
        sandbox = SandboxFixture.start(store, SandboxOptions.defaults("127.0.0.1", 0)
                .withRefLifetimes(Duration.ofMillis(300), Duration.ofMillis(100)));
        StatusRecorder recorder = new StatusRecorder();
        client = newClient(settings(sandbox).withQrLifetimes(Duration.ofMillis(300), Duration.ofMillis(100)),
                DeviceCredentials.generate(random), Optional.empty(), recorder);
        client.connect();
        recorder.await(ConnectionState.AWAITING_QR_SCAN, WAIT);

        recorder.await(ConnectionState.QR_TIMEOUT, WAIT);
        Thread.sleep(500);

        assertThat(client.status().state()).isEqualTo(ConnectionState.QR_TIMEOUT);
        assertThat(recorder.states()).doesNotContain(ConnectionState.RECONNECTING)
                .containsOnlyOnce(ConnectionState.AWAITING_QR_SCAN);
    }

    @Test
    void aClientBehindASocks5ProxyWithCredentialsReachesTheSandbox() throws Exception {
        StatusRecorder recorder = new StatusRecorder();
        try (TestProxies proxy = TestProxies.socks5("instance-7", "pa55")) {
            ClientSettings viaProxy = settings(sandbox).withSocket(settings(sandbox).socket().withOpener(
                    SocketOpener.socks5(proxy.address(), Optional.of(new ProxyCredentials("instance-7", "pa55")))));
            client = newClient(viaProxy, DeviceCredentials.generate(random), Optional.empty(), recorder);

            client.connect();

            assertThat(recorder.awaitQr(WAIT)).startsWith("https://wa.me/settings/linked_devices#");
            assertThat(proxy.relayed()).contains("127.0.0.1:" + sandbox.wsUrl().getPort());
        }
    }

    @Test
    void aKnownDeviceLogsInAndItsPingsAreAnswered() throws Exception {
        DeviceCredentials keys = DeviceCredentials.generate(random);
        Jid device = knownDevice(keys, 3);
        StatusRecorder recorder = new StatusRecorder();
        client = newClient(settings(sandbox), keys, Optional.of(device), recorder);

        client.connect();
        recorder.await(ConnectionState.CONNECTED, WAIT);

        Node pong = client.sendIq("w:p", "get", List.of(Node.of("ping"))).get(5, TimeUnit.SECONDS);
        assertThat(pong.attributeOr("type", "")).isEqualTo("result");
    }

    @Test
    void anUnknownIqIsAnsweredWithAnErrorNotSilence() throws Exception {
        DeviceCredentials keys = DeviceCredentials.generate(random);
        StatusRecorder recorder = new StatusRecorder();
        client = newClient(settings(sandbox), keys, Optional.of(knownDevice(keys, 4)), recorder);
        client.connect();
        recorder.await(ConnectionState.CONNECTED, WAIT);

        var response = client.sendIq("w:biz", "get", List.of(Node.of("business_profile")));

        assertThatThrownBy(() -> response.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IqErrorException.class)
                .satisfies(error -> assertThat(((IqErrorException) error).code()).isEqualTo(501));
    }

    @Test
    void anUnknownDeviceIsLoggedOutAndStaysDown() throws Exception {
        DeviceCredentials keys = DeviceCredentials.generate(random);
        StatusRecorder recorder = new StatusRecorder();
        client = newClient(settings(sandbox), keys, Optional.of(Jid.device(PHONE, 9, Jid.USER_SERVER)), recorder);

        client.connect();

        assertThat(recorder.await(ConnectionState.LOGGED_OUT, WAIT).code()).isEqualTo(401);
        Thread.sleep(500);
        assertThat(recorder.statuses).extracting(ConnectionStatus::state)
                .containsExactly(ConnectionState.CONNECTING, ConnectionState.LOGGED_OUT);
    }

    @Test
    void anOutdatedVersionStopsWithAClearStatusInsteadOfLooping() throws Exception {
        sandbox.close();
        sandbox = SandboxFixture.start(store, SandboxFixture.fastOptions()
                .withMinimumClientRevision(WaVersion.DEFAULT.tertiary() + 1));
        DeviceCredentials keys = DeviceCredentials.generate(random);
        StatusRecorder recorder = new StatusRecorder();
        client = newClient(settings(sandbox), keys, Optional.of(knownDevice(keys, 5)), recorder);

        client.connect();

        ConnectionStatus outdated = recorder.await(ConnectionState.CLIENT_OUTDATED, WAIT);
        assertThat(outdated.code()).isEqualTo(405);
        assertThat(outdated.reason()).contains("version");
        Thread.sleep(500);
        assertThat(recorder.statuses).extracting(ConnectionStatus::state)
                .containsExactly(ConnectionState.CONNECTING, ConnectionState.CLIENT_OUTDATED);
    }

    @Test
    void aSecondConnectionOfTheSameDeviceReplacesTheFirst() throws Exception {
        DeviceCredentials keys = DeviceCredentials.generate(random);
        Jid device = knownDevice(keys, 6);
        StatusRecorder first = new StatusRecorder();
        client = newClient(settings(sandbox), keys, Optional.of(device), first);
        client.connect();
        first.await(ConnectionState.CONNECTED, WAIT);
        assertThat(sandbox.replacedConnections()).isZero();
        StatusRecorder second = new StatusRecorder();

        try (WireClient other = newClient(settings(sandbox), keys, Optional.of(device), second)) {
            other.connect();

            second.await(ConnectionState.CONNECTED, WAIT);
            first.await(ConnectionState.REPLACED, WAIT);
            assertThat(sandbox.replacedConnections()).as("the sandbox reports it").isEqualTo(1);
        }
    }

    @Test
    void theClientReconnectsWhenTheServerComesBackAfterARestart() throws Exception {
        DeviceCredentials keys = DeviceCredentials.generate(random);
        StatusRecorder recorder = new StatusRecorder();
        ClientSettings settings = settings(sandbox);
        client = newClient(settings, keys, Optional.of(knownDevice(keys, 7)), recorder);
        client.connect();
        recorder.await(ConnectionState.CONNECTED, WAIT);
        int port = sandbox.wsUrl().getPort();

        sandbox.close();
        recorder.await(ConnectionState.RECONNECTING, WAIT);
        sandbox = SandboxFixture.start(store, SandboxOptions.defaults("127.0.0.1", port)
                .withPingInterval(Duration.ofMillis(300)));

        recorder.await(ConnectionState.CONNECTED, WAIT);
    }

    @Test
    void aServerWhoseChainDoesNotVerifyIsRefusedAndNotRetried() throws Exception {
        TestChains chains = new TestChains(Instant.now());
        List<Function<TestChains, byte[]>> broken = List.of(TestChains::forgedLeafSignature,
                TestChains::signedByAnotherRoot, TestChains::expiredLeaf, TestChains::leafForAnotherKey);
        for (Function<TestChains, byte[]> chain : broken) {
            byte[] chainBytes = chain.apply(chains);
            try (SandboxServer impostor = SandboxServer.start(store, SandboxFixture.fastOptions(), Clock.systemUTC(),
                    random, chains.serverStatic, chains.trustRoot(), serverStatic -> chainBytes)) {
                StatusRecorder recorder = new StatusRecorder();
                try (WireClient refused = newClient(settings(impostor), DeviceCredentials.generate(random),
                        Optional.empty(), recorder)) {
                    refused.connect();

                    assertThat(recorder.await(ConnectionState.FAILED, WAIT).reason()).contains("certificate");
                    assertThat(recorder.qrCodes).isEmpty();
                }
            }
        }
    }

    private Jid knownDevice(DeviceCredentials keys, int deviceId) {
        store.phones().link(new SandboxDevice(PHONE, deviceId, "880000" + deviceId, keys.noiseKey().publicKey(),
                keys.identityKey().publicKey()), "chrome", deviceId, Instant.now());
        return Jid.device(PHONE, deviceId, Jid.USER_SERVER);
    }

    private WireClient newClient(ClientSettings settings, DeviceCredentials keys, Optional<Jid> device,
            StatusRecorder recorder) {
        return new WireClient(settings, keys, device, recorder, Clock.systemUTC(), random);
    }

    private static ClientSettings settings(SandboxServer server) {
        return ClientSettings.of(SocketSettings.whatsapp().withEndpoint(server.wsUrl(), server.trustRoot()),
                WaVersion.DEFAULT).withTimings(Duration.ofSeconds(5), Duration.ofMillis(200), Duration.ofMillis(300),
                Duration.ofSeconds(3), Duration.ofMillis(100));
    }
}
