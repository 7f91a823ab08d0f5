package ponte.adapters.http.core;

import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** Request counts and latencies per route template (never per raw path: ids would explode the series). */
public final class HttpMetrics {
    private static final String START = "ponte.start-nanos";
    private static final String ROUTE = "ponte.route";

    private final MeterRegistry registry;

    public HttpMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public static void start(Context ctx) {
        ctx.attribute(START, System.nanoTime());
    }

    public static void matched(Context ctx, String routeTemplate) {
        ctx.attribute(ROUTE, routeTemplate);
    }

    /** The template of the route that matched this request, or null when none did. */
    public static String route(Context ctx) {
        return ctx.attribute(ROUTE);
    }

    public void finish(Context ctx) {
        Long start = ctx.attribute(START);
        if (start == null) {
            return;
        }
        String route = ctx.attribute(ROUTE);
        Timer.builder("http.server.requests")
                .description("HTTP requests served, by route template, method and status")
                .tag("method", ctx.method().name())
                .tag("uri", route == null ? "unmatched" : route)
                .tag("status", Integer.toString(ctx.statusCode()))
                .publishPercentileHistogram()
                .register(registry)
                .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
}
