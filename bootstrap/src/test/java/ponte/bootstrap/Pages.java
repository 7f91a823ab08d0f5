package ponte.bootstrap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/** A real web server on loopback serving what a test puts at a path: files to send by URL, pages to preview. */
final class Pages implements AutoCloseable {
    interface Page {
        void serve(HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private final Map<String, Page> pages = new ConcurrentHashMap<>();

    Pages() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try (exchange) {
                var page = pages.get(exchange.getRequestURI().getPath());
                if (page == null) {
                    exchange.sendResponseHeaders(404, -1);
                } else {
                    page.serve(exchange);
                }
            } catch (IOException ignored) {
                // the gateway went away (a refused or timed-out fetch)
            }
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    Pages put(String path, Page page) {
        pages.put(path, page);
        return this;
    }

    Pages put(String path, String contentType, byte[] body) {
        return put(path, exchange -> {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
        });
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
