package ponte.bootstrap;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Map;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A WebSocket client that records frames and its close code; paused, it stops reading (as a slow client would). */
final class WsClient implements WebSocket.Listener, AutoCloseable {
    private final List<String> frames = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile boolean paused;
    private WebSocket socket;

    static WsClient connect(String url, boolean paused) {
        var client = new WsClient();
        client.paused = paused;
        client.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(url), client).join();
        return client;
    }

    /** The HTTP status of a refused upgrade. */
    static int refusal(String url) {
        try {
            HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(url), new WsClient()).join();
            throw new AssertionError("the upgrade was accepted");
        } catch (CompletionException e) {
            if (e.getCause() instanceof java.net.http.WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
    }

    /**
     * Sends a WebSocket upgrade request on a raw socket and reads the whole answer, body included (Java's WebSocket
     * client reports a refusal's status only): what a refused browser or any client sees.
     */
    static Http.Response upgradeRequest(String base, String pathAndQuery, Map<String, String> headers) {
        var uri = URI.create(base);
        try (var socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            var request = new StringBuilder("GET " + pathAndQuery + " HTTP/1.1\r\n")
                    .append("Host: ").append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n")
                    .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                    .append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
            headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
            var in = new java.io.DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
            var status = Integer.parseInt(line(in).split(" ")[1]);
            var responseHeaders = new java.util.TreeMap<String, List<String>>(String.CASE_INSENSITIVE_ORDER);
            for (var header = line(in); !header.isEmpty(); header = line(in)) {
                var colon = header.indexOf(':');
                responseHeaders.computeIfAbsent(header.substring(0, colon).strip(), k -> new ArrayList<>())
                        .add(header.substring(colon + 1).strip());
            }
            var length = responseHeaders.getOrDefault("Content-Length", List.of("0")).getFirst();
            var body = new byte[Integer.parseInt(length)];
            in.readFully(body);
            return new Http.Response(status, responseHeaders, new String(body, StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String line(java.io.DataInputStream in) throws java.io.IOException {
        var line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new java.io.EOFException("the answer ended mid-line: " + line);
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            frames.add(partial.toString());
            partial.setLength(0);
        }
        if (!paused) {
            webSocket.request(1);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(-1);
    }

    void resume() {
        paused = false;
        socket.request(Long.MAX_VALUE);
    }

    List<String> frames() {
        return List.copyOf(frames);
    }

    List<String> awaitFrames(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (frames.size() < count && System.nanoTime() < deadline) {
            Receiver.sleep(20);
        }
        if (frames.size() < count) {
            throw new AssertionError("expected " + count + " frames, got " + frames.size());
        }
        return frames();
    }

    int awaitClose(Duration timeout) throws Exception {
        return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }
}
