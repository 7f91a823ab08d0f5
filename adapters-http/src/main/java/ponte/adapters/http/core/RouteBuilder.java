package ponte.adapters.http.core;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Declares a route and its documentation together, so that no route can exist without its OpenAPI entry. */
public final class RouteBuilder {
    private final HandlerType method;
    private final String path;
    private final Consumer<Route> sink;
    private Access access = Access.ACCOUNT;
    private String tag = "General";
    private String summary;
    private String description = "";
    private Class<?> requestBody;
    private int status = 200;
    private Class<?> responseBody;
    private String responseMediaType = "application/json";
    private final List<Route.QueryParam> queryParams = new ArrayList<>();
    private final List<Route.Outcome> otherOutcomes = new ArrayList<>();
    private final List<Integer> errors = new ArrayList<>();
    private boolean queryToken;
    private RateLimits.Limit rateLimit;

    RouteBuilder(HandlerType method, String path, Consumer<Route> sink) {
        this.method = method;
        this.path = path;
        this.sink = sink;
    }

    public RouteBuilder access(Access value) {
        this.access = value;
        return this;
    }

    public RouteBuilder tag(String value) {
        this.tag = value;
        return this;
    }

    public RouteBuilder summary(String value) {
        this.summary = value;
        return this;
    }

    public RouteBuilder description(String value) {
        this.description = value;
        return this;
    }

    public RouteBuilder body(Class<?> type) {
        this.requestBody = type;
        errors.add(400); // malformed JSON or a field that is not valid
        errors.add(413); // a body over PONTE_MAX_BODY_BYTES (PONTE_MAX_MEDIA_BODY_BYTES for media)
        return this;
    }

    public RouteBuilder returns(int httpStatus, Class<?> type) {
        this.status = httpStatus;
        this.responseBody = type;
        return this;
    }

    /** A second success status the route may answer with, documented beside the main one. */
    public RouteBuilder alsoReturns(int httpStatus, String when, Class<?> type) {
        otherOutcomes.add(new Route.Outcome(httpStatus, when, type));
        return this;
    }

    public RouteBuilder returnsText(String mediaType) {
        this.responseMediaType = mediaType;
        this.responseBody = String.class;
        return this;
    }

    public RouteBuilder query(String name, String about, Class<?> type) {
        queryParams.add(new Route.QueryParam(name, about, type));
        errors.add(400); // a query parameter that is not valid
        return this;
    }

    public RouteBuilder errors(int... statuses) {
        for (int s : statuses) {
            errors.add(s);
        }
        return this;
    }

    /** Browsers cannot set headers on WebSocket and EventSource requests: these routes accept {@code ?token=}. */
    public RouteBuilder queryToken() {
        this.queryToken = true;
        return this;
    }

    /** A limit of its own on this route, counted per tenant ({@link RateLimits}), besides the requests limit. */
    public RouteBuilder rateLimit(RateLimits.Limit limit) {
        this.rateLimit = limit;
        errors.add(429);
        return this;
    }

    public void handle(Handler handler) {
        if (summary == null) {
            throw new IllegalStateException("route " + method + " " + path + " has no summary");
        }
        sink.accept(new Route(method, path, access, tag, summary, description, requestBody, status, responseBody,
                responseMediaType, List.copyOf(otherOutcomes), List.copyOf(queryParams),
                errors.stream().distinct().sorted().toList(), queryToken, rateLimit, handler));
    }
}
