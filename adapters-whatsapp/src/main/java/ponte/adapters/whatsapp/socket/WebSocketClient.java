package ponte.adapters.whatsapp.socket;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A small RFC 6455 client for binary messages. We own the TCP connection (see {@link SocketOpener}) because
 * {@code java.net.http} cannot dial through SOCKS5, and a library would hide the socket we need to tunnel.
 */
public final class WebSocketClient implements AutoCloseable {

    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int OP_CONTINUATION = 0;
    private static final int OP_BINARY = 2;
    private static final int OP_CLOSE = 8;
    private static final int OP_PING = 9;
    private static final int MAX_MESSAGE = 64 << 20;

    /** Receives whole binary messages on the reader thread, then exactly one {@code onClosed}. */
    public interface Listener {
        void onBinary(byte[] message);

        void onClosed(Throwable cause);
    }

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final SecureRandom random;
    private volatile boolean closing;

    private WebSocketClient(Socket socket, OutputStream out, DataInputStream in, SecureRandom random) {
        this.socket = socket;
        this.out = out;
        this.in = in;
        this.random = random;
    }

    public static WebSocketClient connect(URI uri, Map<String, String> headers, SocketOpener opener,
            Duration timeout, SecureRandom random, Listener listener) throws IOException {
        boolean secure = "wss".equalsIgnoreCase(uri.getScheme());
        if (!secure && !"ws".equalsIgnoreCase(uri.getScheme())) {
            throw new IOException("not a WebSocket URL: " + uri);
        }
        int port = uri.getPort() > 0 ? uri.getPort() : secure ? 443 : 80;
        Socket socket = opener.open(uri.getHost(), port, timeout);
        try {
            if (secure) {
                socket = startTls(socket, uri.getHost(), port);
            }
            socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            upgrade(uri, port, headers, out, in, random);
            socket.setSoTimeout(0);
            WebSocketClient client = new WebSocketClient(socket, out, in, random);
            Thread.ofVirtual().name("ws-reader-" + uri.getHost()).start(() -> client.readLoop(listener));
            return client;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    public void sendBinary(byte[] payload) throws IOException {
        writeFrame(OP_BINARY, payload);
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        try {
            writeFrame(OP_CLOSE, new byte[] {0x03, (byte) 0xe8});
        } catch (IOException ignored) {
            // the peer may already be gone; closing the socket below is what matters
        }
        closeQuietly();
    }

    private static Socket startTls(Socket plain, String host, int port) throws IOException {
        SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                .createSocket(plain, host, port, true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(parameters);
        tls.startHandshake();
        return tls;
    }

    private static void upgrade(URI uri, int port, Map<String, String> headers, OutputStream out,
            InputStream in, SecureRandom random) throws IOException {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        boolean defaultPort = port == ("wss".equalsIgnoreCase(uri.getScheme()) ? 443 : 80);
        var request = new StringBuilder()
                .append("GET ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(uri.getHost()).append(defaultPort ? "" : ":" + port).append("\r\n")
                .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ").append(key).append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();

        String status = readLine(in);
        if (!status.startsWith("HTTP/1.1 101")) {
            throw new IOException("WebSocket upgrade refused: " + status);
        }
        String accept = null;
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("sec-websocket-accept")) {
                accept = line.substring(colon + 1).trim();
            }
        }
        if (!expectedAccept(key).equals(accept)) {
            throw new IOException("WebSocket upgrade answered with a wrong Sec-WebSocket-Accept");
        }
    }

    private static String expectedAccept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((key + ACCEPT_GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        var line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("connection closed during the WebSocket upgrade");
            }
            if (line.size() > 8192) {
                throw new IOException("HTTP header line too long");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private void readLoop(Listener listener) {
        Throwable cause = null;
        try {
            var message = new ByteArrayOutputStream();
            while (true) {
                int first = in.readUnsignedByte();
                int second = in.readUnsignedByte();
                boolean fin = (first & 0x80) != 0;
                int opcode = first & 0x0f;
                if ((second & 0x80) != 0) {
                    throw new IOException("the server sent a masked frame");
                }
                long length = second & 0x7f;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                if (length < 0 || length + message.size() > MAX_MESSAGE) {
                    throw new IOException("WebSocket message too large");
                }
                byte[] payload = in.readNBytes((int) length);
                if (payload.length != length) {
                    throw new EOFException("connection closed inside a WebSocket frame");
                }
                switch (opcode) {
                    case OP_CLOSE -> {
                        closing = true;
                        writeFrame(OP_CLOSE, payload.length >= 2 ? new byte[] {payload[0], payload[1]} : new byte[0]);
                        return;
                    }
                    case OP_PING -> writeFrame(0x0a, payload);
                    case OP_BINARY, OP_CONTINUATION -> {
                        message.writeBytes(payload);
                        if (fin) {
                            listener.onBinary(message.toByteArray());
                            message.reset();
                        }
                    }
                    default -> {
                        // text and pong frames carry nothing for this protocol
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            cause = closing ? null : e;
        } finally {
            closing = true;
            closeQuietly();
            listener.onClosed(cause);
        }
    }

    private synchronized void writeFrame(int opcode, byte[] payload) throws IOException {
        var frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length <= 0xffff) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift));
            }
        }
        byte[] mask = new byte[4];
        random.nextBytes(mask);
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    private void closeQuietly() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
