package ponte.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * A real HTTP server speaking the part of Chatwoot's application API the gateway uses, with Chatwoot's paths and
 * JSON shapes: {@code GET|POST /api/v1/accounts/{account_id}/inboxes} behind the {@code api_access_token} header.
 * A wrong token is 401, an account the token's user does not belong to is 404.
 */
final class FakeChatwoot implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern INBOXES = Pattern.compile("/api/v1/accounts/(\\d+)/inboxes(?:/(\\d+))?");

    private final HttpServer server;
    private final String token;
    private final long accountId;
    private final List<Inbox> inboxes = new CopyOnWriteArrayList<>();
    private final List<JsonNode> createRequests = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong(100);

    FakeChatwoot(String token, long accountId) {
        this.token = token;
        this.accountId = accountId;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** An inbox that exists before the gateway comes. */
    long addInbox(String name, String channelType, String webhookUrl) {
        var inbox = new Inbox(ids.incrementAndGet(), name, channelType, webhookUrl);
        inboxes.add(inbox);
        return inbox.id();
    }

    Inbox inbox(long id) {
        return inboxes.stream().filter(i -> i.id() == id).findFirst().orElseThrow();
    }

    List<Inbox> inboxes() {
        return List.copyOf(inboxes);
    }

    List<JsonNode> createRequests() {
        return List.copyOf(createRequests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var matcher = INBOXES.matcher(exchange.getRequestURI().getPath());
            if (!matcher.matches()) {
                respond(exchange, 404, "{\"error\":\"not found\"}");
                return;
            }
            if (!token.equals(exchange.getRequestHeaders().getFirst("api_access_token"))) {
                respond(exchange, 401, "{\"error\":\"You need to sign in or sign up before continuing.\"}");
                return;
            }
            if (Long.parseLong(matcher.group(1)) != accountId) {
                respond(exchange, 404, "{\"error\":\"Resource could not be found\"}");
                return;
            }
            var inboxId = matcher.group(2);
            switch (exchange.getRequestMethod() + (inboxId == null ? "" : " one")) {
                case "GET" -> list(exchange);
                case "POST" -> create(exchange);
                case "PATCH one" -> update(exchange, Long.parseLong(inboxId));
                default -> respond(exchange, 405, "{}");
            }
        }
    }

    private void list(HttpExchange exchange) throws IOException {
        var body = JSON.createObjectNode();
        var payload = body.putArray("payload");
        for (var inbox : inboxes) {
            payload.addObject().put("id", inbox.id()).put("name", inbox.name()).put("channel_type", inbox.channelType())
                    .put("webhook_url", inbox.webhookUrl());
        }
        respond(exchange, 200, JSON.writeValueAsString(body));
    }

    private void create(HttpExchange exchange) throws IOException {
        var request = JSON.readTree(exchange.getRequestBody());
        createRequests.add(request);
        var channel = request.path("channel");
        if (!request.path("name").isTextual() || !"api".equals(channel.path("type").asText())) {
            respond(exchange, 422, "{\"message\":\"Name can't be blank\"}");
            return;
        }
        var inbox = new Inbox(ids.incrementAndGet(), request.get("name").asText(), "Channel::Api",
                channel.path("webhook_url").asText(null));
        inboxes.add(inbox);
        var body = JSON.createObjectNode().put("id", inbox.id()).put("name", inbox.name())
                .put("channel_type", inbox.channelType()).put("webhook_url", inbox.webhookUrl());
        respond(exchange, 200, JSON.writeValueAsString(body));
    }

    private void update(HttpExchange exchange, long id) throws IOException {
        var request = JSON.readTree(exchange.getRequestBody());
        var current = inboxes.stream().filter(i -> i.id() == id).findFirst();
        if (current.isEmpty()) {
            respond(exchange, 404, "{\"error\":\"Resource could not be found\"}");
            return;
        }
        var old = current.get();
        var updated = new Inbox(id, request.path("name").asText(old.name()), old.channelType(),
                request.path("channel").path("webhook_url").asText(old.webhookUrl()));
        inboxes.set(inboxes.indexOf(old), updated);
        var body = JSON.createObjectNode().put("id", id).put("name", updated.name())
                .put("channel_type", updated.channelType()).put("webhook_url", updated.webhookUrl());
        respond(exchange, 200, JSON.writeValueAsString(body));
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        var bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    record Inbox(long id, String name, String channelType, String webhookUrl) {}
}
