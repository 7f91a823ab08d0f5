package ponte.adapters.whatsapp.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our SOCKS5 and HTTP CONNECT openers against minimal in-process proxies and against real dante and tinyproxy. */
class ProxyOpenerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Optional<ProxyCredentials> GOOD = Optional.of(new ProxyCredentials("ponte", "s3cret"));
    private static final Optional<ProxyCredentials> BAD = Optional.of(new ProxyCredentials("ponte", "wrong"));
    private ServerSocket echo;

    @TempDir
    Path dir;

    @BeforeEach
    void startEchoServer() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket socket = echo.accept();
                    Thread.ofVirtual().start(() -> {
                        try (socket) {
                            socket.getInputStream().transferTo(socket.getOutputStream());
                        } catch (IOException ignored) {
                            // the test closed its end
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    @AfterEach
    void stopEchoServer() throws IOException {
        echo.close();
    }

    @Test
    void aSocks5ProxyWithCredentialsTunnelsToTheTarget() throws Exception {
        try (TestProxies proxy = TestProxies.socks5("ponte", "s3cret");
                Socket socket = SocketOpener.socks5(proxy.address(), GOOD).open("127.0.0.1", echo.getLocalPort(),
                        TIMEOUT)) {
            assertThat(roundTrip(socket)).isEqualTo("hello through the tunnel");
            assertThat(proxy.relayed()).containsExactly("127.0.0.1:" + echo.getLocalPort());
        }
    }

    @Test
    void aSocks5ProxyRefusesAWrongPassword() throws Exception {
        try (TestProxies proxy = TestProxies.socks5("ponte", "s3cret")) {
            assertThatThrownBy(() -> SocketOpener.socks5(proxy.address(), BAD).open("127.0.0.1",
                    echo.getLocalPort(), TIMEOUT)).isInstanceOf(IOException.class).hasMessageContaining("rejected");
            assertThat(proxy.relayed()).isEmpty();
        }
    }

    @Test
    void anHttpProxyWithCredentialsTunnelsToTheTarget() throws Exception {
        try (TestProxies proxy = TestProxies.http("ponte", "s3cret");
                Socket socket = SocketOpener.httpProxy(proxy.address(), GOOD).open("127.0.0.1", echo.getLocalPort(),
                        TIMEOUT)) {
            assertThat(roundTrip(socket)).isEqualTo("hello through the tunnel");
            assertThat(proxy.relayed()).containsExactly("127.0.0.1:" + echo.getLocalPort());
        }
    }

    @Test
    void anHttpProxyRefusesMissingCredentials() throws Exception {
        try (TestProxies proxy = TestProxies.http("ponte", "s3cret")) {
            assertThatThrownBy(() -> SocketOpener.httpProxy(proxy.address(), Optional.empty()).open("127.0.0.1",
                    echo.getLocalPort(), TIMEOUT)).isInstanceOf(IOException.class).hasMessageContaining("407");
        }
    }

    @Test
    void danteRelaysTheSocks5OpenersTunnelAndLogsIt() throws Exception {
        LocalProxies.assumeAvailable();
        var credentials = Optional.of(new ProxyCredentials(LocalProxies.USER, LocalProxies.PASSWORD));
        try (var dante = LocalProxies.dante(dir);
                Socket socket = SocketOpener.socks5(new InetSocketAddress("127.0.0.1", dante.port()), credentials)
                        .open("127.0.0.1", echo.getLocalPort(), TIMEOUT)) {
            assertThat(roundTrip(socket)).isEqualTo("hello through the tunnel");
            dante.awaitLog(TIMEOUT, LocalProxies.danteRelayed(echo.getLocalPort()));
        }
    }

    @Test
    void danteRefusesAWrongPasswordAndSaysWhy() throws Exception {
        LocalProxies.assumeAvailable();
        var wrong = Optional.of(new ProxyCredentials(LocalProxies.USER, "wrong"));
        try (var dante = LocalProxies.dante(dir)) {
            assertThatThrownBy(() -> SocketOpener.socks5(new InetSocketAddress("127.0.0.1", dante.port()), wrong)
                    .open("127.0.0.1", echo.getLocalPort(), TIMEOUT)).isInstanceOf(IOException.class);
            dante.awaitLog(TIMEOUT, "password authentication failed for user \"" + LocalProxies.USER + "\"");
            assertThat(dante.log()).doesNotContainPattern(LocalProxies.danteRelayed(echo.getLocalPort()));
        }
    }

    @Test
    void tinyproxyRelaysTheHttpOpenersTunnelAndLogsIt() throws Exception {
        LocalProxies.assumeAvailable();
        var credentials = Optional.of(new ProxyCredentials(LocalProxies.USER, LocalProxies.PASSWORD));
        try (var tinyproxy = LocalProxies.tinyproxy(dir);
                Socket socket = SocketOpener.httpProxy(new InetSocketAddress("127.0.0.1", tinyproxy.port()),
                        credentials).open("127.0.0.1", echo.getLocalPort(), TIMEOUT)) {
            assertThat(roundTrip(socket)).isEqualTo("hello through the tunnel");
            tinyproxy.awaitLog(TIMEOUT, LocalProxies.tinyproxyRequested(echo.getLocalPort()));
            tinyproxy.awaitLog(TIMEOUT, LocalProxies.tinyproxyRelayed());
        }
    }

    @Test
    void proxyPasswordsAreNotPrinted() {
        assertThat(GOOD.orElseThrow().toString()).doesNotContain("s3cret");
    }

    /** Sends a line and reads as many bytes back; no half-close, which tinyproxy takes for the end of the tunnel. */
    private static String roundTrip(Socket socket) throws IOException {
        byte[] hello = "hello through the tunnel".getBytes();
        socket.setSoTimeout((int) TIMEOUT.toMillis());
        socket.getOutputStream().write(hello);
        return new String(socket.getInputStream().readNBytes(hello.length));
    }
}
