package ponte.adapters.http.core;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.List;

/** One documented route: what it admits, what it takes and returns, and how it is handled. */
public record Route(
        HandlerType method,
        String path,
        Access access,
        String tag,
        String summary,
        String description,
        Class<?> requestBody,
        int status,
        Class<?> responseBody,
        String responseMediaType,
        List<Outcome> otherOutcomes,
        List<QueryParam> queryParams,
        List<Integer> errorStatuses,
        boolean queryTokenAllowed,
        RateLimits.Limit rateLimit,
        Handler handler) {

    /** This route with a limit of its own ({@link RateLimits}), counted per tenant besides the requests limit. */
    public Route withRateLimit(RateLimits.Limit limit) {
        var statuses = new java.util.TreeSet<>(errorStatuses);
        statuses.add(429);
        return new Route(method, path, access, tag, summary, description, requestBody, status, responseBody,
                responseMediaType, otherOutcomes, queryParams, List.copyOf(statuses), queryTokenAllowed, limit,
                handler);
    }

    /**
     * This route, checked as it is, handled by {@code other}, which may also answer the error {@code statuses}
     * (documented with the others).
     */
    public Route withHandler(Handler other, int... statuses) {
        var errors = java.util.stream.Stream.concat(errorStatuses.stream(),
                java.util.Arrays.stream(statuses).boxed()).distinct().sorted().toList();
        return new Route(method, path, access, tag, summary, description, requestBody, status, responseBody,
                responseMediaType, otherOutcomes, queryParams, errors, queryTokenAllowed, rateLimit, other);
    }

    public record QueryParam(String name, String description, Class<?> type) {}

    /** Another success a route may answer with (a 201 besides its 202, say), and why. */
    public record Outcome(int status, String description, Class<?> body) {}
}
