package ponte.adapters.http.routes;

import io.javalin.http.Context;
import ponte.adapters.http.core.RouteBuilder;
import ponte.application.model.PageRequest;
import ponte.domain.validation.ValidationException;

/** The ?limit= and ?cursor= of every listing. */
final class Paging {
    private Paging() {}

    static RouteBuilder documented(RouteBuilder route) {
        return route.query("limit", "Items per page, 1-200 (default 50)", Integer.class)
                .query("cursor", "The next_cursor of the previous page", String.class);
    }

    static PageRequest of(Context ctx) {
        var limit = ctx.queryParam("limit");
        int parsed;
        try {
            parsed = limit == null ? PageRequest.DEFAULT_LIMIT : Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            throw ValidationException.of("limit", "must be a whole number");
        }
        return new PageRequest(parsed, ctx.queryParam("cursor"));
    }
}
