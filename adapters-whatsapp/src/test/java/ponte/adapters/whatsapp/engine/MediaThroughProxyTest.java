package ponte.adapters.whatsapp.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.media.MediaClient;
import ponte.adapters.whatsapp.media.MediaHttp;
import ponte.adapters.whatsapp.media.MediaTls;
import ponte.adapters.whatsapp.media.MediaTransferException;
import ponte.adapters.whatsapp.media.MediaType;
import ponte.adapters.whatsapp.sandbox.SandboxFixture;
import ponte.adapters.whatsapp.sandbox.SandboxServer;
import ponte.adapters.whatsapp.sandbox.store.sql.SqlSandboxStore;
import ponte.adapters.whatsapp.socket.LocalProxies;
import ponte.adapters.whatsapp.socket.ProxyCredentials;
import ponte.adapters.whatsapp.socket.SocketOpener;
import ponte.adapters.whatsapp.socket.TrustRoot;
import ponte.adapters.whatsapp.store.DeviceStores;
import ponte.adapters.whatsapp.store.TestCipher;
import ponte.adapters.whatsapp.store.sql.SqlDeviceStore;
import ponte.application.port.out.MediaTransferPort.MediaKind;
import ponte.application.port.out.MediaTransferPort.MediaRef;
import ponte.application.port.out.MediaTransferPort.MessageKey;
import ponte.domain.message.Jid;
import ponte.domain.message.MessageId;
import ponte.domain.proxy.EffectiveProxy;
import ponte.domain.proxy.Proxy;
import ponte.domain.proxy.ProxyProtocol;
import ponte.domain.proxy.ProxySource;

/**
 * Media uploads and downloads of an instance behind a proxy go through that proxy, as its chat socket does, with the
 * media host's certificate still checked end to end: real tinyproxy (HTTP CONNECT, Basic credentials) and real
 * dante (SOCKS5, username/password), each of whose logs must show the tunnel to the sandbox's media host port.
 */
class MediaThroughProxyTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String PHONE = "5511987650442";
    private static final String PEER = "5511987650477";

    private final RecordedReports reports = new RecordedReports();
    private final SecureRandom random = new SecureRandom();
    private SandboxServer sandbox;
    private WhatsAppEngine engine;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        LocalProxies.assumeAvailable();
        var database = SandboxFixture.database();
        var store = SqlDeviceStore.migrateAndOpen(database, new TestCipher(), Clock.systemUTC());
        sandbox = SandboxFixture.start(SqlSandboxStore.migrateAndOpen(database), SandboxFixture.fastOptions());
        sandbox.phones().create(PHONE, "Ana");
        sandbox.phones().create(PEER, "Bia");
        var settings = SandboxFixture.fastClientSettings(sandbox);
        engine = new WhatsAppEngine(settings, DeviceStores.of(store), () -> reports, () -> reports, () -> reports,
                Clock.systemUTC(), random);
    }

    @AfterEach
    void stop() throws Exception {
        if (engine != null) {
            engine.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void anInstanceBehindAnHttpProxyUploadsAndDownloadsMediaThroughIt() throws Exception {
        try (var tinyproxy = LocalProxies.tinyproxy(dir)) {
            var id = link(new Proxy(ProxyProtocol.HTTP, "127.0.0.1", tinyproxy.port(), LocalProxies.USER,
                    LocalProxies.PASSWORD));
            roundTrip(id);
            tinyproxy.awaitLog(WAIT, LocalProxies.tinyproxyRequested(mediaPort()));
        }
    }

    @Test
    void anInstanceBehindASocks5ProxyUploadsAndDownloadsMediaThroughIt() throws Exception {
        try (var dante = LocalProxies.dante(dir)) {
            var id = link(new Proxy(ProxyProtocol.SOCKS5, "127.0.0.1", dante.port(), LocalProxies.USER,
                    LocalProxies.PASSWORD));
            roundTrip(id);
            dante.awaitLog(WAIT, LocalProxies.danteRelayed(mediaPort()));
        }
    }

    @Test
    void theMediaHostsCertificateIsStillCheckedThroughTheTunnel() throws Exception {
        try (var tinyproxy = LocalProxies.tinyproxy(dir)) {
            var through = SocketOpener.httpProxy(new java.net.InetSocketAddress("127.0.0.1", tinyproxy.port()),
                    Optional.of(new ProxyCredentials(LocalProxies.USER, LocalProxies.PASSWORD)));
            // another network's root: the sandbox host's chain does not end there
            var stranger = new TrustRoot(KeyPair.generate(random).publicKey(), 0);
            var client = new MediaClient(() -> CompletableFuture.completedFuture(sandbox.media().mediaConn("1",
                    PHONE + "@s.whatsapp.net")), new MediaHttp(through, MediaTls.context(stranger)),
                    Clock.systemUTC(), random, new MediaClient.Retry(1, Duration.ofMillis(10), Duration.ofSeconds(10)),
                    Duration.ofSeconds(5));
            assertThatThrownBy(() -> client.upload(MediaType.IMAGE, new ByteArrayInputStream(new byte[1000])))
                    .isInstanceOf(MediaTransferException.class).hasMessageContaining("could not be reached")
                    .rootCause().hasMessageContaining("sandbox root");
            // the tunnel was opened: it is TLS over it that refused the host
            tinyproxy.awaitLog(WAIT, LocalProxies.tinyproxyRequested(mediaPort()));
            assertThat(sandbox.media().hostname()).endsWith(":" + mediaPort());
        }
    }

    private UUID link(Proxy proxy) throws Exception {
        var id = UUID.randomUUID();
        engine.start(id, new EffectiveProxy(ProxySource.INSTANCE, Optional.of(proxy)));
        var qr = (String) reports.await("qr", 0, WAIT).detail();
        sandbox.phones().scan(PHONE, qr).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        reports.await("connected", 0, WAIT);
        return id;
    }

    private void roundTrip(UUID id) throws Exception {
        byte[] plain = new byte[1_200_000];
        random.nextBytes(plain);
        Path file = Files.write(dir.resolve("clip.mp4"), plain);
        MediaRef ref = engine.upload(id, MediaKind.VIDEO, file, MediaTransferTest.kept(file));
        var out = new ByteArrayOutputStream();
        engine.download(id, new MessageKey(new MessageId("3EB0PROXY1"), Jid.phone(PEER), true, Optional.empty()),
                MediaKind.VIDEO, ref, out);
        assertThat(out.toByteArray()).isEqualTo(plain);
        assertThat(sandbox.phones().downloadMedia(PEER, MediaType.VIDEO, ref.directPath(), ref.mediaKey(),
                ref.fileEncSha256(), ref.fileSha256())).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(plain));
    }

    private int mediaPort() {
        var hostname = sandbox.media().hostname();
        return Integer.parseInt(hostname.substring(hostname.lastIndexOf(':') + 1));
    }
}
