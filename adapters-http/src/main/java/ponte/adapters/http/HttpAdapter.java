package ponte.adapters.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.javalin.router.Endpoint;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.SessionHandler;
import org.eclipse.jetty.session.NullSessionCache;
import org.eclipse.jetty.session.NullSessionDataStore;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import ponte.adapters.http.core.AuthFailures;
import ponte.adapters.http.core.Authenticator;
import ponte.adapters.http.core.Bodies;
import ponte.adapters.http.core.ErrorResponses;
import ponte.adapters.http.core.HttpMetrics;
import ponte.adapters.http.core.InlineBlock;
import ponte.adapters.http.core.Json;
import ponte.adapters.http.core.RateLimits;
import ponte.adapters.http.core.RequestIds;
import ponte.adapters.http.core.Route;
import ponte.adapters.http.core.RoutePipeline;
import ponte.adapters.http.core.SandboxForwarding;
import ponte.adapters.http.core.Routes;
import ponte.adapters.http.core.ServerErrors;
import ponte.adapters.http.openapi.OpenApiDocument;
import ponte.adapters.http.live.LiveHub;
import ponte.adapters.http.live.LiveRoutes;
import ponte.adapters.http.routes.CallRoutes;
import ponte.adapters.http.routes.ChatRoutes;
import ponte.adapters.http.routes.DocsRoutes;
import ponte.adapters.http.routes.EventRoutes;
import ponte.adapters.http.routes.GroupRoutes;
import ponte.adapters.http.routes.WebhookRoutes;
import ponte.adapters.http.routes.InstanceRoutes;
import ponte.adapters.http.routes.MediaRoutes;
import ponte.adapters.http.routes.MessageRoutes;
import ponte.adapters.http.routes.IntegrationRoutes;
import ponte.adapters.http.routes.NodeRoutes;
import ponte.adapters.http.routes.OpsRoutes;
import ponte.adapters.http.routes.SandboxRoutes;
import ponte.adapters.http.routes.SessionRoutes;
import ponte.adapters.http.routes.ProxyRoutes;
import ponte.adapters.http.routes.SettingsRoutes;
import ponte.adapters.http.routes.TenantRoutes;
import ponte.adapters.http.routes.TokenRoutes;
import ponte.adapters.http.core.AuditTrail;
import ponte.application.port.out.LiveEvents;
import ponte.application.port.in.UseCases;

/** The HTTP adapter's wiring: declares every route once, documents it, and serves it on Javalin. */
public final class HttpAdapter {
    private final Javalin app;
    private final List<Route> routes;
    private final LiveHub hub;

    /**
     * {@code operatorMetrics} are the gateway's own meters on {@code metrics} (the registry /metrics serves): the
     * core counts into them as its {@code GatewayMetrics}, and this adapter adds the gauges that read
     * {@link UseCases#gatewayStats()} at scrape time.
     */
    public HttpAdapter(Settings settings, UseCases useCases, PrometheusMeterRegistry metrics,
                       OperatorMetrics operatorMetrics, BooleanSupplier databaseReachable, Clock clock) {
        var json = Json.mapper();
        var bodies = new Bodies(json);
        var declared = new Routes();
        OpsRoutes.register(declared, databaseReachable, metrics::scrape);
        TenantRoutes.register(declared, useCases, bodies);
        TokenRoutes.register(declared, useCases.tokens(), useCases.audit(), bodies);
        NodeRoutes.register(declared, useCases);
        this.hub = new LiveHub(json, useCases.readEvent(), useCases.media());
        List<InlineBlock> blocks = List.of(ProxyRoutes.inlineBlock(useCases, bodies),
                SettingsRoutes.inlineBlock(useCases, bodies), WebhookRoutes.webhookBlock(useCases, bodies),
                WebhookRoutes.websocketBlock(useCases, bodies), IntegrationRoutes.chatwootBlock(useCases, bodies),
                IntegrationRoutes.s3Block(useCases, bodies));
        InstanceRoutes.register(declared, useCases, bodies, settings.instanceCreatesPerMinute(), blocks);
        ProxyRoutes.register(declared, useCases, bodies);
        SettingsRoutes.register(declared, useCases, bodies);
        WebhookRoutes.register(declared, useCases, bodies);
        IntegrationRoutes.register(declared, useCases, bodies);
        EventRoutes.register(declared, useCases, json);
        LiveRoutes.register(declared, useCases, hub);
        SandboxRoutes.register(declared, useCases.sandbox(), bodies);
        SessionRoutes.register(declared, useCases.sessions(), bodies);
        MessageRoutes.register(declared, useCases.messages(), bodies);
        ChatRoutes.register(declared, useCases.messages());
        GroupRoutes.register(declared, useCases.groups(), bodies);
        CallRoutes.register(declared, useCases.calls(), useCases.presence(), bodies);
        MediaRoutes.register(declared, useCases.media());
        operatorMetrics.readGauges(useCases.gatewayStats());
        var document = new ObjectNode[1];
        DocsRoutes.register(declared, () -> document[0]);
        var all = SandboxForwarding.documented(declared.all());
        this.routes = settings.sandbox().map(upstream -> new SandboxForwarding(upstream.base(), upstream.token())
                .applyTo(all)).orElse(all);
        document[0] = OpenApiDocument.of(routes, settings.version());
        this.app = create(settings, json, routes, new RoutePipeline(new Authenticator(useCases.authenticate()),
                new RateLimits(), settings.requestsPerMinute(), useCases.instances()::get,
                new AuthFailures(settings.authFailuresPerMinute())), new ErrorResponses(clock), new HttpMetrics(metrics),
                hub, new ServerErrors(clock), new AuditTrail(useCases.audit()));
    }

    private static Javalin create(Settings settings, ObjectMapper json, List<Route> routes, RoutePipeline pipeline,
                                  ErrorResponses errors, HttpMetrics metrics, LiveHub hub,
                                  ServerErrors serverErrors, AuditTrail audit) {
        return Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.jsonMapper(new JavalinJackson(json, true));
            config.http.maxRequestSize = settings.maxBodyBytes();
            config.http.prefer405over404 = true;
            config.startup.showJavalinBanner = false;
            // the API is stateless: no HTTP session, no JSESSIONID cookie (Javalin reads the session of every
            // WebSocket upgrade request, which would otherwise create one per upgrade and keep it in memory)
            config.jetty.modifyServletContextHandler(handler -> handler.setSessionHandler(statelessSessions()));
            // what Jetty refuses before any route runs (a path it will not decode, say) is in the envelope too
            config.jetty.modifyServer(server -> server.setErrorHandler(serverErrors));
            config.routes.before(ctx -> {
                HttpMetrics.start(ctx);
                RequestIds.assign(ctx);
            });
            config.routes.after(metrics::finish);
            config.routes.after(audit::finish);
            errors.install(config);
            for (var route : routes) {
                var handler = pipeline.wrap(route);
                config.routes.addEndpoint(new Endpoint(route.method(), route.path(), handler));
                if (LiveRoutes.WEBSOCKET_PATHS.contains(route.path())) {
                    // the same checks run before the upgrade; the WebSocket itself is not an HTTP endpoint
                    config.routes.wsBeforeUpgrade(route.path(), handler);
                    config.routes.ws(route.path(), ws -> LiveRoutes.configure(ws, hub));
                }
            }
        });
    }

    private static SessionHandler statelessSessions() {
        var sessions = new SessionHandler();
        sessions.setUsingCookies(false);
        sessions.setUsingUriParameters(false);
        var cache = new NullSessionCache(sessions);
        cache.setSessionDataStore(new NullSessionDataStore());
        sessions.setSessionCache(cache);
        return sessions;
    }

    public HttpAdapter start(String host, int port) {
        app.start(host, port);
        return this;
    }

    public int port() {
        return app.port();
    }

    public void stop() {
        hub.close();
        app.stop();
    }

    /** The live hub, which hears of this node's events once they are committed. */
    public LiveEvents liveEvents() {
        return hub;
    }

    /** Another node stored an event: this node's live clients of that instance may want it. */
    public void remoteEvent(UUID instanceId, UUID eventId, String event) {
        hub.remote(instanceId, eventId, event);
    }

    /**
     * Every route this adapter serves, as Javalin registered it: what the OpenAPI completeness test checks. A
     * WebSocket endpoint is reported as the GET its upgrade request is; upgrade hooks are not endpoints.
     */
    public List<String> registeredRoutes() {
        var router = app.unsafe.internalRouter;
        var http = router.allHttpHandlers().stream()
                .map(parsed -> parsed.endpoint.method.name() + " " + parsed.endpoint.path)
                .filter(route -> !route.startsWith("BEFORE") && !route.startsWith("AFTER")
                        && !route.startsWith("WEBSOCKET_"));
        var websockets = router.allWsHandlers().stream()
                .filter(entry -> entry.getType() == io.javalin.websocket.WsHandlerType.WEBSOCKET)
                .map(entry -> "GET " + entry.getPath());
        return java.util.stream.Stream.concat(http, websockets).distinct().toList();
    }

    public ObjectNode openApi() {
        return OpenApiDocument.of(routes, "test");
    }

    /**
     * Limits and sizes, from configuration; {@code sandbox}, when this gateway dials a standalone sandbox, is where
     * its {@code /v1/sandbox/...} routes are forwarded ({@link SandboxForwarding}).
     */
    public record Settings(String version, long maxBodyBytes, int instanceCreatesPerMinute, int requestsPerMinute,
                           int authFailuresPerMinute, Optional<SandboxUpstream> sandbox) {}

    /** A standalone sandbox's address ({@code http://host:port}) and admin token. */
    public record SandboxUpstream(URI base, String token) {}
}
