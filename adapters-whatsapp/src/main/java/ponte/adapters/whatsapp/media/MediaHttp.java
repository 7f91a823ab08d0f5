package ponte.adapters.whatsapp.media;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import ponte.adapters.whatsapp.socket.SocketOpener;

/**
 * The media client's HTTP: one HTTP/1.1 request over TLS per connection ({@code Connection: close}), on a TCP
 * connection that a {@link SocketOpener} dials. The opener is the instance's: direct, or tunnelled through its HTTP
 * CONNECT or SOCKS5 proxy exactly as the chat socket is (the JDK's {@code HttpClient} speaks no SOCKS and will not
 * send Basic credentials to a CONNECT proxy, which is why media has its own few lines of HTTP). TLS runs end to end
 * with the media host over the tunnel: the certificate is checked with {@code tls} ({@link MediaTls}), host name
 * included (RFC 6125 via the JDK's {@code HTTPS} endpoint identification), so a proxy sees only ciphertext.
 *
 * <p>Bodies are streamed both ways: an upload is sent from its file with a {@code Content-Length}; a response body is
 * read by {@code Content-Length}, {@code chunked} transfer coding (RFC 9112 §7.1) or until the host closes. Redirects
 * are not followed (WhatsApp's media hosts answer in place; a 3xx is a failed request like any other status).
 */
public final class MediaHttp {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    private final SocketOpener opener;
    private final SSLContext tls;

    /**
     * @param opener dials the media host's TCP connection (direct, or through the instance's proxy)
     * @param tls    checks the media host's certificate ({@link MediaTls#context})
     */
    public MediaHttp(SocketOpener opener, SSLContext tls) {
        this.opener = opener;
        this.tls = tls;
    }

    /** Straight to the media hosts, no proxy. */
    public static MediaHttp direct(SSLContext tls) {
        return new MediaHttp(SocketOpener.direct(), tls);
    }

    /**
     * An answer: its status and body. Closing it closes the connection.
     *
     * @param body the response body, decoded from its transfer coding; reads time out after the request's timeout
     */
    public record Response(int status, InputStream body, Socket socket) implements Closeable {
        /** The body as text (UTF-8), at most {@code limit} bytes of it. */
        public String text(int limit) throws IOException {
            return new String(body.readNBytes(limit), StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /**
     * Sends {@code method uri} with {@code headers} and, when present, the file {@code body} as the request body,
     * and reads the status line and headers of the answer.
     *
     * @param timeout how long any one read or the TLS handshake may wait (the connect waits at most 20 s)
     * @throws IOException the host or the proxy could not be reached, the certificate did not check out, or the
     *                     answer is not HTTP/1.x
     */
    public Response send(String method, URI uri, Map<String, String> headers, Optional<Path> body, Duration timeout)
            throws IOException {
        String host = uri.getHost();
        int port = uri.getPort() == -1 ? 443 : uri.getPort();
        Socket raw = opener.open(host, port, CONNECT_TIMEOUT);
        SSLSocket socket = null;
        try {
            socket = (SSLSocket) tls.getSocketFactory().createSocket(raw, host, port, true);
            var parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(Math.toIntExact(Math.max(1, timeout.toMillis())));
            socket.startHandshake();
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            var head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(uri.getRawAuthority()).append("\r\n")
                    .append("Connection: close\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            if (body.isPresent()) {
                head.append("Content-Length: ").append(Files.size(body.get())).append("\r\n");
            }
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body.isPresent()) {
                Files.copy(body.get(), out);
            }
            out.flush();
            var in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            var budget = new int[] {MAX_HEADER_BYTES};
            String status = readLine(in, budget);
            String[] parts = status.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("\\d{3}")) {
                throw new IOException("the media host's answer is not HTTP/1.x");
            }
            long length = -1;
            boolean chunked = false;
            for (String line = readLine(in, budget); !line.isEmpty(); line = readLine(in, budget)) {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).strip();
                if (name.equals("transfer-encoding")) {
                    chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
                } else if (name.equals("content-length")) {
                    try {
                        length = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new IOException("the media host sent a bad Content-Length");
                    }
                }
            }
            InputStream content = chunked ? new Chunked(in) : length >= 0 ? new Bounded(in, length) : in;
            return new Response(Integer.parseInt(parts[1]), method.equals("HEAD")
                    ? InputStream.nullInputStream() : content, socket);
        } catch (IOException | RuntimeException e) {
            (socket != null ? socket : raw).close(); // the TLS socket closes the tunnel under it
            throw e;
        }
    }

    private static String readLine(InputStream in, int[] budget) throws IOException {
        var line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("the media host closed the connection mid-answer");
            }
            if (--budget[0] < 0) {
                throw new IOException("the media host's headers are too long");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /** A body of a known length; ending early is an error, not a short file. */
    private static final class Bounded extends FilterInputStream {
        private long left;

        Bounded(InputStream in, long length) {
            super(in);
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (left == 0) {
                return -1;
            }
            int read = in.read(buffer, offset, (int) Math.min(length, left));
            if (read < 0) {
                throw new EOFException("the media host closed the connection before the whole body");
            }
            left -= read;
            return read;
        }
    }

    /** The {@code chunked} transfer coding: hex size lines, each chunk, a 0 chunk and trailers. */
    private static final class Chunked extends FilterInputStream {
        private long left;
        private boolean done;

        Chunked(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                var budget = new int[] {MAX_HEADER_BYTES};
                String size = readLine(in, budget);
                int extension = size.indexOf(';');
                try {
                    left = Long.parseLong((extension < 0 ? size : size.substring(0, extension)).strip(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("the media host sent a bad chunk size");
                }
                if (left < 0) {
                    throw new IOException("the media host sent a bad chunk size");
                }
                if (left == 0) {
                    while (!readLine(in, budget).isEmpty()) {
                        // trailers carry nothing we use
                    }
                    done = true;
                    return -1;
                }
            }
            int read = in.read(buffer, offset, (int) Math.min(length, left));
            if (read < 0) {
                throw new EOFException("the media host closed the connection mid-chunk");
            }
            left -= read;
            if (left == 0) {
                readLine(in, new int[] {2}); // the CRLF after the chunk's data
            }
            return read;
        }
    }
}
