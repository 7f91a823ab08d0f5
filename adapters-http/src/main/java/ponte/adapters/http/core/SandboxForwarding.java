package ponte.adapters.http.core;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The {@code /v1/sandbox/...} routes of a gateway that dials a standalone sandbox ({@code ./ponte sandbox},
 * {@code PONTE_SANDBOX_URL=http://...}): each request, once this gateway's own checks passed (admin token, rate and
 * body limits), is sent as it came (method, path, query, body and its type, and the request id) to the same route of that sandbox with
 * the sandbox's admin token, and the sandbox's answer (status, type, body) is returned as it is. So every sandbox
 * route, present and future, works through any node of a fleet, with one hop and no mapping of its own. A sandbox
 * that does not answer within {@link #TIMEOUT} (a scan waits for the link) is a 503 {@code UNAVAILABLE}.
 */
public final class SandboxForwarding {
    /** A scan or a link code answers once the instance linked; a media send uploads first. */
    static final Duration TIMEOUT = Duration.ofSeconds(90);
    /** The answer's headers worth passing on; hop-by-hop and the sandbox's own request id are not. */
    private static final Set<String> PASSED_ON = Set.of("content-type", "content-range", "retry-after", "location");

    private final URI base;
    private final String token;
    private final HttpClient client;

    /** {@code base}: the sandbox's address ({@code http://host:port}); {@code token}: its admin token. */
    public SandboxForwarding(URI base, String token) {
        this.base = base;
        this.token = token;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    /**
     * {@code routes} with every {@code /v1/sandbox/} route documenting the 503 a node answers when its standalone
     * sandbox does not: every gateway, forwarding or not, serves the same OpenAPI document.
     */
    public static List<Route> documented(List<Route> routes) {
        return routes.stream().map(route -> sandboxRoute(route) ? route.withHandler(route.handler(),
                ErrorCode.UNAVAILABLE.status()) : route).toList();
    }

    /** {@code routes} with the handler of every {@code /v1/sandbox/} route replaced by the hop to the sandbox. */
    public List<Route> applyTo(List<Route> routes) {
        Handler forward = this::forward;
        return routes.stream().map(route -> sandboxRoute(route) ? route.withHandler(forward) : route).toList();
    }

    private static boolean sandboxRoute(Route route) {
        return route.path().startsWith("/v1/sandbox/");
    }

    private void forward(Context ctx) throws InterruptedException {
        var query = ctx.queryString();
        var target = base.resolve(ctx.req().getRequestURI() + (query == null ? "" : "?" + query));
        byte[] body = ctx.bodyAsBytes();
        var request = HttpRequest.newBuilder(target).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token)
                // one id in both processes' logs and in the sandbox's envelope
                .header(RequestIds.HEADER, RequestIds.of(ctx))
                .method(ctx.method().name(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        var type = ctx.contentType();
        if (type != null) {
            request.header("Content-Type", type);
        }
        HttpResponse<byte[]> answer;
        try {
            answer = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new ApiException(ErrorCode.UNAVAILABLE, "the standalone sandbox at " + base + " did not answer ("
                    + e.getClass().getSimpleName() + "); is ./ponte sandbox running?");
        }
        ctx.status(answer.statusCode());
        answer.headers().map().forEach((name, values) -> {
            if (PASSED_ON.contains(name.toLowerCase(java.util.Locale.ROOT)) && !values.isEmpty()) {
                ctx.header(name, values.getFirst());
            }
        });
        // the sandbox already wrote the envelope or the file: mark it written so no error page replaces it
        ctx.attribute(ErrorResponses.WRITTEN, Boolean.TRUE);
        ctx.disableCompression();
        ctx.result(answer.body());
    }
}
