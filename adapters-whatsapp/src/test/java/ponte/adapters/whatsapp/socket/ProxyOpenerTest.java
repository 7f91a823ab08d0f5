package ponte.adapters.whatsapp.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProxyOpenerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Optional<ProxyCredentials> GOOD = Optional.of(new ProxyCredentials("ponte", "s3cret"));
    private static final Optional<ProxyCredentials> BAD = Optional.of(new ProxyCredentials("ponte", "wrong"));
    private ServerSocket echo;

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
        }
    }

    @Test
    void aSocks5ProxyRefusesAWrongPassword() throws Exception {
        try (TestProxies proxy = TestProxies.socks5("ponte", "s3cret")) {
            assertThatThrownBy(() -> SocketOpener.socks5(proxy.address(), BAD).open("127.0.0.1",
                    echo.getLocalPort(), TIMEOUT)).isInstanceOf(IOException.class).hasMessageContaining("rejected");
        }
    }

    @Test
    void anHttpProxyWithCredentialsTunnelsToTheTarget() throws Exception {
        try (TestProxies proxy = TestProxies.http("ponte", "s3cret");
                Socket socket = SocketOpener.httpProxy(proxy.address(), GOOD).open("127.0.0.1", echo.getLocalPort(),
                        TIMEOUT)) {
            assertThat(roundTrip(socket)).isEqualTo("hello through the tunnel");
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
    void proxyPasswordsAreNotPrinted() {
        assertThat(GOOD.orElseThrow().toString()).doesNotContain("s3cret");
    }

    private static String roundTrip(Socket socket) throws IOException {
        socket.getOutputStream().write("hello through the tunnel".getBytes());
        socket.shutdownOutput();
        return new String(socket.getInputStream().readAllBytes());
    }
}
