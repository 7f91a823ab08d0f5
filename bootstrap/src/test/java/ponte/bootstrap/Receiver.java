package ponte.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Predicate;

/** A real HTTP receiver for webhooks on loopback: records every request and answers with a scripted status. */
public final class Receiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Function<Request, Integer> status = request -> 200;

    private Receiver(HttpServer server) {
        this.server = server;
    }

    public static Receiver start() {
        try {
            var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
            var receiver = new Receiver(server);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", exchange -> {
                var body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                var headers = new java.util.TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER);
                exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.getFirst()));
                var request = new Request(exchange.getRequestURI().getPath(), headers, body, Instant.now());
                int code = receiver.status.apply(request);
                receiver.requests.add(request);
                exchange.sendResponseHeaders(code, -1);
                exchange.close();
            });
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Answers every request with this status from now on. */
    public Receiver answer(int code) {
        this.status = request -> code;
        return this;
    }

    public Receiver answer(Function<Request, Integer> script) {
        this.status = script;
        return this;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Waits (up to {@code timeout}) until {@code count} requests matching {@code which} arrived. */
    public List<Request> await(int count, Predicate<Request> which, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            var matching = requests.stream().filter(which).toList();
            if (matching.size() >= count) {
                return matching;
            }
            sleep(20);
        }
        throw new AssertionError("expected " + count + " requests within " + timeout + ", got "
                + requests.stream().filter(which).count() + " of " + requests.size());
    }

    public List<Request> await(int count, Duration timeout) {
        return await(count, request -> true, timeout);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    public record Request(String path, Map<String, String> headers, String body, Instant at) {
        public String header(String name) {
            return headers.get(name);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        public String eventId() {
            return header("X-Ponte-Event-Id");
        }
    }

    /** Request bodies in arrival order, for messages. */
    public List<String> bodies() {
        var bodies = new ArrayList<String>();
        requests.forEach(r -> bodies.add(r.body()));
        return bodies;
    }
}
