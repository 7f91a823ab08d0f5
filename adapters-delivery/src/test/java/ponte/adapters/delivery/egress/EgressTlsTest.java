package ponte.adapters.delivery.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ponte.domain.egress.EgressPolicy;

/**
 * Connecting to the checked IP address keeps TLS about the name: a real HTTPS receiver on loopback holds a
 * certificate for {@code media.test} only (made with the JDK's keytool); the client, resolving {@code media.test} to
 * 127.0.0.1 through its own resolver, verifies the certificate against the name and sends it as {@code Host}.
 */
class EgressTlsTest {
    private static final char[] PASSWORD = "changeit".toCharArray();
    @TempDir
    static Path dir;
    private static HttpsServer server;
    private static SSLContext trust;
    private static final List<String> hosts = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        var store = dir.resolve("media-test.p12");
        var keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "media", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=media.test",
                "-ext", "SAN=dns:media.test", "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", new String(PASSWORD)).redirectErrorStream(true).start();
        var output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor()).as(output).isZero();
        var keys = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD);
        }
        var keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD);
        var serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keyManagers.getKeyManagers(), null, null);
        var trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(keys);
        trust = SSLContext.getInstance("TLS");
        trust.init(null, trustManagers.getTrustManagers(), null);

        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try (exchange) {
                hosts.add(exchange.getRequestHeaders().getFirst("Host"));
                exchange.sendResponseHeaders(204, -1);
            }
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static Egress egress() {
        return new Egress("tls", new EgressPolicy(true, false), host -> List.of(InetAddress.ofLiteral("127.0.0.1")),
                Duration.ofSeconds(2), 1024, trust);
    }

    @Test
    void theCertificateIsCheckedAgainstTheNameWhileTheConnectionGoesToTheCheckedAddress() throws Exception {
        try (var egress = egress()) {
            var response = egress.send(HttpRequest.newBuilder(
                    URI.create("https://media.test:" + server.getAddress().getPort() + "/a.jpg")).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(response.statusCode()).isEqualTo(204);
            assertThat(hosts).contains("media.test:" + server.getAddress().getPort());
        }
    }

    @Test
    void aCertificateForAnotherNameIsRefused() {
        try (var egress = egress()) {
            assertThatThrownBy(() -> egress.send(HttpRequest.newBuilder(
                    URI.create("https://other.test:" + server.getAddress().getPort() + "/")).GET().build(),
                    HttpResponse.BodyHandlers.discarding())).isInstanceOf(IOException.class)
                    .hasStackTraceContaining("No subject alternative DNS name matching other.test");
        }
    }
}
