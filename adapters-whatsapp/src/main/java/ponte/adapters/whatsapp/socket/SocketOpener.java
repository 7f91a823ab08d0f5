package ponte.adapters.whatsapp.socket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;

/**
 * Opens the TCP connection under the WebSocket. It is ours rather than a library's so that an HTTP CONNECT or
 * SOCKS5 proxy (with credentials) is just another opener that returns a socket already tunnelled to the target.
 */
@FunctionalInterface
public interface SocketOpener {

    Socket open(String host, int port, Duration timeout) throws IOException;

    static SocketOpener direct() {
        return (host, port, timeout) -> {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(host, port), Math.toIntExact(timeout.toMillis()));
            return socket;
        };
    }

    /** Tunnels through an HTTP proxy with {@code CONNECT}, sending Basic credentials when given. */
    static SocketOpener httpProxy(InetSocketAddress proxy, Optional<ProxyCredentials> credentials) {
        return (host, port, timeout) -> ProxyTunnels.httpConnect(proxy, credentials, host, port, timeout);
    }

    /** Tunnels through an HTTP proxy reached over TLS ({@code https://} proxies). */
    static SocketOpener httpsProxy(InetSocketAddress proxy, Optional<ProxyCredentials> credentials) {
        return (host, port, timeout) -> ProxyTunnels.httpsConnect(proxy, credentials, host, port, timeout);
    }

    /** Tunnels through a SOCKS5 proxy, authenticating with username and password when given. */
    static SocketOpener socks5(InetSocketAddress proxy, Optional<ProxyCredentials> credentials) {
        return (host, port, timeout) -> ProxyTunnels.socks5(proxy, credentials, host, port, timeout);
    }
}
