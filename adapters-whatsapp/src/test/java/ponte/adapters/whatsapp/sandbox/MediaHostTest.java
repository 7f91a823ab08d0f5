package ponte.adapters.whatsapp.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.media.MediaClient;
import ponte.adapters.whatsapp.media.MediaTls;
import ponte.adapters.whatsapp.media.MediaTransferException;
import ponte.adapters.whatsapp.media.MediaType;
import ponte.adapters.whatsapp.socket.TrustRoot;

/**
 * The sandbox media host and Ponte's media client over real HTTPS: the client trusts the host only through the
 * sandbox root's key, uploads and downloads stream, an expired file is gone, a tampered one is refused.
 */
class MediaHostTest {

    private static final MediaClient.Retry FAST = new MediaClient.Retry(3, Duration.ofMillis(20),
            Duration.ofSeconds(30));
    private final SecureRandom random = new SecureRandom();
    private final KeyPair root = KeyPair.generate(random);

    @TempDir
    Path dir;
    private MediaHost host;
    private final AtomicInteger conns = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        host = MediaHost.start("127.0.0.1", dir.resolve("host"), root, Clock.systemUTC(), random);
    }

    @AfterEach
    void stop() {
        host.close();
    }

    private MediaClient client(KeyPair trusted) {
        return new MediaClient(() -> {
            conns.incrementAndGet();
            return CompletableFuture.completedFuture(host.mediaConn("1", "15550001111@s.whatsapp.net"));
        }, ponte.adapters.whatsapp.media.MediaHttp.direct(MediaTls.context(new TrustRoot(trusted.publicKey(), 0))), Clock.systemUTC(), random, FAST,
                Duration.ofSeconds(5));
    }

    @Test
    void aFileGoesUpAndComesBackByteIdentical() throws Exception {
        byte[] plain = new byte[3_000_017];
        random.nextBytes(plain);
        MediaClient client = client(root);
        MediaClient.Uploaded uploaded = client.upload(MediaType.VIDEO, new ByteArrayInputStream(plain));
        assertThat(uploaded.directPath()).startsWith("/v/t62.video/");
        assertThat(uploaded.url()).hasValueSatisfying(url -> assertThat(url).startsWith("https://127.0.0.1:"));
        assertThat(uploaded.sealed().fileLength()).isEqualTo(plain.length);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long length = client.download(MediaType.VIDEO, uploaded.directPath(), uploaded.mediaKey(),
                uploaded.sealed().fileEncSha256(), uploaded.sealed().fileSha256(), out);
        assertThat(length).isEqualTo(plain.length);
        assertThat(out.toByteArray()).isEqualTo(plain);
        // one media_conn served both, cached until its ttl
        assertThat(conns.get()).isEqualTo(1);
        // the same key and file give the same body: a re-upload keeps every field but the path
        MediaClient.Uploaded again = client.upload(MediaType.VIDEO, new ByteArrayInputStream(plain),
                uploaded.mediaKey());
        assertThat(again.sealed().fileEncSha256()).isEqualTo(uploaded.sealed().fileEncSha256());
        assertThat(again.directPath()).isNotEqualTo(uploaded.directPath());
    }

    @Test
    void aClientTrustingAnotherRootRefusesTheHost() throws Exception {
        MediaClient stranger = client(KeyPair.generate(random));
        assertThatThrownBy(() -> stranger.upload(MediaType.IMAGE, new ByteArrayInputStream(new byte[100])))
                .isInstanceOf(MediaTransferException.class)
                .satisfies(e -> assertThat(((MediaTransferException) e).reason())
                        .isEqualTo(MediaTransferException.Reason.FAILED))
                .hasCauseInstanceOf(SSLHandshakeException.class)
                .hasRootCauseMessage("the chain does not end at the trusted sandbox root");
    }

    @Test
    void anExpiredFileIsGoneAndATamperedOneYieldsNothing() throws Exception {
        MediaClient client = client(root);
        byte[] plain = new byte[200_000];
        random.nextBytes(plain);
        MediaClient.Uploaded first = client.upload(MediaType.IMAGE, new ByteArrayInputStream(plain));
        assertThat(host.expire(first.directPath())).isTrue();
        assertThatThrownBy(() -> client.download(MediaType.IMAGE, first.directPath(), first.mediaKey(),
                first.sealed().fileEncSha256(), first.sealed().fileSha256(), OutputStream.nullOutputStream()))
                .isInstanceOfSatisfying(MediaTransferException.class,
                        e -> assertThat(e.reason()).isEqualTo(MediaTransferException.Reason.GONE));
        assertThatThrownBy(() -> client.download(MediaType.IMAGE, "/v/t62.image/unknown", first.mediaKey(),
                first.sealed().fileEncSha256(), first.sealed().fileSha256(), OutputStream.nullOutputStream()))
                .isInstanceOfSatisfying(MediaTransferException.class,
                        e -> assertThat(e.reason()).isEqualTo(MediaTransferException.Reason.GONE));

        MediaClient.Uploaded second = client.upload(MediaType.IMAGE, new ByteArrayInputStream(plain));
        Path stored;
        try (Stream<Path> files = Files.list(dir.resolve("host"))) {
            stored = files.filter(Files::isRegularFile).findFirst().orElseThrow();
        }
        byte[] body = Files.readAllBytes(stored);
        body[body.length / 2] ^= 1;
        Files.write(stored, body);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThatThrownBy(() -> client.download(MediaType.IMAGE, second.directPath(), second.mediaKey(),
                second.sealed().fileEncSha256(), second.sealed().fileSha256(), out))
                .isInstanceOfSatisfying(MediaTransferException.class,
                        e -> assertThat(e.reason()).isEqualTo(MediaTransferException.Reason.INTEGRITY));
        assertThat(out.size()).isZero();
    }

    @Test
    void anUploadWithAStaleAuthFetchesAFreshMediaConn() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        MediaClient client = new MediaClient(() -> CompletableFuture.completedFuture(asked.getAndIncrement() == 0
                ? Node.withChildren("iq", Node.attrs("type", "result"), java.util.List.of(Node.withChildren(
                        "media_conn", Node.attrs("auth", "stale", "ttl", "300"), java.util.List.of(
                                Node.of("host", Node.attrs("hostname", host.hostname()))))))
                : host.mediaConn("2", "15550001111@s.whatsapp.net")),
                ponte.adapters.whatsapp.media.MediaHttp.direct(MediaTls.context(new TrustRoot(root.publicKey(), 0))), Clock.systemUTC(), random, FAST,
                Duration.ofSeconds(5));
        MediaClient.Uploaded uploaded = client.upload(MediaType.DOCUMENT, new ByteArrayInputStream(new byte[10]));
        assertThat(uploaded.directPath()).startsWith("/v/t62.document/");
        assertThat(asked.get()).isEqualTo(2);
        try (InputStream in = host.open(uploaded.directPath()).orElseThrow()) {
            assertThat(in.readAllBytes()).hasSize((int) uploaded.sealed().bodyLength());
        }
    }
}
