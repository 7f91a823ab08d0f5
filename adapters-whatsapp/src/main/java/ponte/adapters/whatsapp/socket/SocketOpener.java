package ponte.adapters.whatsapp.socket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

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
}
