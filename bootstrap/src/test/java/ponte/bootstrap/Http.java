package ponte.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A real HTTP client against a running gateway, as a user's program would talk to it. */
public final class Http {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public Http(String base) {
        this.base = base;
    }

    public Response get(String path, String token) {
        return send("GET", path, token, null, Map.of());
    }

    public Response post(String path, String token, String json) {
        return send("POST", path, token, json, Map.of());
    }

    public Response put(String path, String token, String json) {
        return send("PUT", path, token, json, Map.of());
    }

    public Response delete(String path, String token) {
        return send("DELETE", path, token, null, Map.of());
    }

    /** Any method, any headers; a non-null token goes in {@code Authorization: Bearer}. */
    public Response send(String method, String path, String token, String body, Map<String, String> headers) {
        var request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        // each request names itself, so an answer that belongs to another request (a desynchronised keep-alive
        // connection) fails whichever test saw it instead of passing as that test's answer
        String requestId = null;
        if (headers.keySet().stream().noneMatch("X-Request-Id"::equalsIgnoreCase)) {
            requestId = "t-" + java.util.UUID.randomUUID();
            request.header("X-Request-Id", requestId);
        }
        try {
            var answer = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            var response = new Response(answer.statusCode(), answer.headers().map(), answer.body());
            var echoed = answer.headers().firstValue("X-Request-Id").orElse(null);
            // a request the server could not read (a path it will not decode) is answered with an id of its own
            // and the connection closed (ServerErrors): nothing else can follow on it
            boolean unread = answer.headers().firstValue("Connection").filter("close"::equalsIgnoreCase).isPresent()
                    && answer.statusCode() == 400;
            if (requestId != null && echoed != null && !echoed.equals(requestId) && !unread) {
                throw new AssertionError(method + " " + path + " got the answer of another request (" + echoed
                        + ", not " + requestId + "): " + response);
            }
            conforms(method, path, response);
            return response;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * What every answer the tests see must satisfy, whichever test asked: no session cookie (the API is stateless),
     * and for a documented route, a documented status and a body matching its schema in /openapi.json.
     */
    private void conforms(String method, String path, Response response) {
        if (response.header("Set-Cookie") != null) {
            throw new AssertionError(method + " " + path + " set a cookie: " + response.header("Set-Cookie"));
        }
        OpenApiContract.of(base).check(method, path, response);
    }

    public String base() {
        return base;
    }

    public record Response(int status, Map<String, List<String>> headers, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
