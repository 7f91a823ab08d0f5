package ponte.adapters.whatsapp.socket;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * Opens a TCP connection to a proxy and asks it for a tunnel to the target: HTTP CONNECT (RFC 9110 §9.3.6) with
 * Basic credentials, or SOCKS5 (RFC 1928) with username/password authentication (RFC 1929). The target's name is
 * sent to the proxy unresolved, so DNS happens on the proxy's side.
 */
final class ProxyTunnels {

    private static final int SOCKS_VERSION = 5;
    private static final int NO_AUTHENTICATION = 0;
    private static final int USERNAME_PASSWORD = 2;

    private ProxyTunnels() {
    }

    static Socket httpConnect(InetSocketAddress proxy, Optional<ProxyCredentials> credentials, String host, int port,
            Duration timeout) throws IOException {
        return httpConnect(connect(proxy, timeout), credentials, host, port);
    }

    /** CONNECT over TLS to the proxy itself, so the credentials never cross the network in clear. */
    static Socket httpsConnect(InetSocketAddress proxy, Optional<ProxyCredentials> credentials, String host, int port,
            Duration timeout) throws IOException {
        Socket plain = connect(proxy, timeout);
        try {
            var tls = (javax.net.ssl.SSLSocket) ((javax.net.ssl.SSLSocketFactory) javax.net.ssl.SSLSocketFactory
                    .getDefault()).createSocket(plain, proxy.getHostString(), proxy.getPort(), true);
            tls.startHandshake();
            return httpConnect(tls, credentials, host, port);
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    private static Socket httpConnect(Socket socket, Optional<ProxyCredentials> credentials, String host, int port)
            throws IOException {
        try {
            String authority = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
            var request = new StringBuilder("CONNECT ").append(authority).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(authority).append("\r\n");
            credentials.ifPresent(c -> request.append("Proxy-Authorization: Basic ").append(Base64.getEncoder()
                    .encodeToString((c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8)))
                    .append("\r\n"));
            OutputStream out = socket.getOutputStream();
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String status = readLine(in);
            while (!readLine(in).isEmpty()) {
                // the proxy's headers carry nothing we act on; the tunnel starts after the blank line
            }
            String[] parts = status.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].equals("200")) {
                throw new IOException("the HTTP proxy refused the tunnel: " + status);
            }
            socket.setSoTimeout(0);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    static Socket socks5(InetSocketAddress proxy, Optional<ProxyCredentials> credentials, String host, int port,
            Duration timeout) throws IOException {
        Socket socket = connect(proxy, timeout);
        try {
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            out.write(credentials.isPresent()
                    ? new byte[] {SOCKS_VERSION, 2, NO_AUTHENTICATION, USERNAME_PASSWORD}
                    : new byte[] {SOCKS_VERSION, 1, NO_AUTHENTICATION});
            out.flush();
            if (in.readUnsignedByte() != SOCKS_VERSION) {
                throw new IOException("not a SOCKS5 proxy");
            }
            int method = in.readUnsignedByte();
            if (method == USERNAME_PASSWORD && credentials.isPresent()) {
                authenticate(out, in, credentials.get());
            } else if (method != NO_AUTHENTICATION) {
                throw new IOException("the SOCKS5 proxy accepts none of our authentication methods");
            }
            byte[] name = host.getBytes(StandardCharsets.US_ASCII);
            if (name.length > 255) {
                throw new IOException("host name too long for SOCKS5");
            }
            var request = new ByteArrayOutputStream();
            request.writeBytes(new byte[] {SOCKS_VERSION, 1, 0, 3, (byte) name.length});
            request.writeBytes(name);
            request.write(port >>> 8);
            request.write(port);
            out.write(request.toByteArray());
            out.flush();
            if (in.readUnsignedByte() != SOCKS_VERSION) {
                throw new IOException("malformed SOCKS5 reply");
            }
            int reply = in.readUnsignedByte();
            in.readUnsignedByte();
            skipBoundAddress(in, in.readUnsignedByte());
            if (reply != 0) {
                throw new IOException("the SOCKS5 proxy refused the connection (reply " + reply + ")");
            }
            socket.setSoTimeout(0);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static void authenticate(OutputStream out, DataInputStream in, ProxyCredentials credentials)
            throws IOException {
        byte[] user = credentials.username().getBytes(StandardCharsets.UTF_8);
        byte[] password = credentials.password().getBytes(StandardCharsets.UTF_8);
        var message = new ByteArrayOutputStream();
        message.write(1);
        message.write(user.length);
        message.writeBytes(user);
        message.write(password.length);
        message.writeBytes(password);
        out.write(message.toByteArray());
        out.flush();
        in.readUnsignedByte();
        if (in.readUnsignedByte() != 0) {
            throw new IOException("the SOCKS5 proxy rejected the username or password");
        }
    }

    private static void skipBoundAddress(DataInputStream in, int addressType) throws IOException {
        int length = switch (addressType) {
            case 1 -> 4;
            case 3 -> in.readUnsignedByte();
            case 4 -> 16;
            default -> throw new IOException("unknown SOCKS5 address type " + addressType);
        };
        in.readNBytes(length + 2);
    }

    private static Socket connect(InetSocketAddress proxy, Duration timeout) throws IOException {
        Socket socket = new Socket();
        int millis = Math.toIntExact(timeout.toMillis());
        socket.connect(proxy, millis);
        socket.setSoTimeout(millis);
        return socket;
    }

    private static String readLine(InputStream in) throws IOException {
        var line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("the proxy closed the connection");
            }
            if (line.size() > 8192) {
                throw new IOException("proxy response line too long");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
