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
import ponte.adapters.http.core.Authenticator;
import ponte.adapters.http.core.Bodies;
import ponte.adapters.http.core.BodyLimits;
import ponte.adapters.http.core.SlowClients;
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
import ponte.adapters.http.routes.ChatwootWebhookRoutes;
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
        this.hub = new LiveHub(json, useCases.readEvent(), useCases.media(), settings.liveClientsPerTenant());
        List<InlineBlock> blocks = List.of(ProxyRoutes.inlineBlock(useCases, bodies),
                SettingsRoutes.inlineBlock(useCases, bodies), WebhookRoutes.webhookBlock(useCases, bodies),
                WebhookRoutes.websocketBlock(useCases, bodies), IntegrationRoutes.chatwootBlock(useCases, bodies),
                IntegrationRoutes.s3Block(useCases, bodies));
        InstanceRoutes.register(declared, useCases, bodies, settings.instanceCreatesPerMinute(), blocks);
        ProxyRoutes.register(declared, useCases, bodies);
        SettingsRoutes.register(declared, useCases, bodies);
        WebhookRoutes.register(declared, useCases, bodies);
        IntegrationRoutes.register(declared, useCases, bodies);
        ChatwootWebhookRoutes.register(declared, useCases.chatwootSync());
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
        var sends = new RateLimits.Limit("sends", settings.sendsPerMinute());
        var all = SandboxForwarding.documented(declared.all()).stream()
                .map(route -> isSend(route) ? route.withRateLimit(sends) : route).toList();
        this.routes = settings.sandbox().map(upstream -> new SandboxForwarding(upstream.base(), upstream.token())
                .applyTo(all)).orElse(all);
        document[0] = OpenApiDocument.of(routes, settings.version());
        this.app = create(settings, json, routes, new RoutePipeline(new Authenticator(useCases.authenticate()),
                new RateLimits(), new RateLimits.Limit("requests", settings.requestsPerMinute()),
                new RateLimits.Limit("failed authentications", settings.authFailuresPerMinute()),
                bodyLimits(settings), (caller, idOrName) -> useCases.instances().get(caller, idOrName).id()), new ErrorResponses(clock), new HttpMetrics(metrics),
                hub, new ServerErrors(clock), new AuditTrail(useCases.audit()));
    }

    private static Javalin create(Settings settings, ObjectMapper json, List<Route> routes, RoutePipeline pipeline,
                                  ErrorResponses errors, HttpMetrics metrics, LiveHub hub,
                                  ServerErrors serverErrors, AuditTrail audit) {
        return Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.jsonMapper(new JavalinJackson(json, true));
            // each route reads its body within its own cap (BodyLimits); this is the server's backstop
            config.http.maxRequestSize = bodyLimits(settings).largest();
            config.http.prefer405over404 = true;
            config.startup.showJavalinBanner = false;
            // Jetty keeps the header fields a connection has sent and, by default, matches a new one against them
            // ignoring case: a token differing from the connection's previous one only in the case of a letter was
            // read as that previous token, so behind a proxy that pools its connections one caller could be taken
            // for another (KeepAliveConnectionTest). Header values are compared exactly.
            config.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheCaseSensitive(true));
            // the API is stateless: no HTTP session, no JSESSIONID cookie (Javalin reads the session of every
            // WebSocket upgrade request, which would otherwise create one per upgrade and keep it in memory)
            var slowClients = new SlowClients(settings.idleTimeout(), settings.headerTimeout(),
                    settings.minBodyBytesPerSecond());
            config.jetty.modifyServletContextHandler(handler -> {
                handler.setSessionHandler(statelessSessions());
                handler.insertHandler(slowClients.handler());
            });
            // what Jetty refuses before any route runs (a path it will not decode, say) is in the envelope too
            config.jetty.modifyServer(server -> {
                server.setErrorHandler(serverErrors);
                slowClients.install(server);
            });
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
                if (route.method() == io.javalin.http.HandlerType.GET && MediaRoutes.HEAD_TOO.contains(route.path())) {
                    // the same handler and checks; it sends the headers only (documented with the GET)
                    config.routes.addEndpoint(new Endpoint(io.javalin.http.HandlerType.HEAD, route.path(), handler));
                }
                if (LiveRoutes.WEBSOCKET_PATHS.contains(route.path())) {
                    // the same checks run before the upgrade; the WebSocket itself is not an HTTP endpoint
                    config.routes.wsBeforeUpgrade(route.path(), handler);
                    config.routes.ws(route.path(), ws -> LiveRoutes.configure(ws, hub));
                }
            }
        });
    }

    /**
     * The routes that make the gateway send a WhatsApp message, counted against the tenant's sends limit: every POST
     * under {@code /v1/instances/{id}/messages/} and the edit and revoke of a message (PATCH and DELETE of one).
     */
    static boolean isSend(Route route) {
        var path = route.path();
        if (!path.startsWith("/v1/instances/{id}/messages/")) {
            return false;
        }
        var method = route.method();
        return method.equals(io.javalin.http.HandlerType.POST)
                || (method.equals(io.javalin.http.HandlerType.PATCH) || method.equals(io.javalin.http.HandlerType.DELETE))
                && path.equals("/v1/instances/{id}/messages/{message_id}");
    }

    private static BodyLimits bodyLimits(Settings settings) {
        return new BodyLimits(settings.maxBodyBytes(), settings.maxMediaBodyBytes());
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
                // a HEAD is the GET it mirrors (MediaRoutes.HEAD_TOO), documented there
                .map(parsed -> parsed.endpoint.method.name().replace("HEAD", "GET") + " " + parsed.endpoint.path)
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
     * Limits and sizes, from configuration (docs/configuration.md). Rate limits are token buckets per tenant on this
     * node: a minute's budget at once, refilled at that rate.
     *
     * @param maxBodyBytes             the largest JSON body ({@code PONTE_MAX_BODY_BYTES})
     * @param maxMediaBodyBytes        the largest body of a route that takes a {@code base64} file
     *                                 ({@code PONTE_MAX_MEDIA_BODY_BYTES})
     * @param instanceCreatesPerMinute instance creations a tenant may make a minute
     * @param requestsPerMinute        requests a tenant's tokens may make a minute (the admin token has its own)
     * @param sendsPerMinute           message sends (and edits and revokes) a tenant may make a minute
     * @param liveClientsPerTenant     WebSocket and SSE clients a tenant may have open at once on this node
     * @param authFailuresPerMinute    failed authentications a client address may make a minute
     * @param idleTimeout              a connection silent both ways this long is closed
     * @param headerTimeout            a request's head must arrive whole within this of its first byte
     * @param minBodyBytesPerSecond    the slowest average a request body may arrive at (0: no minimum)
     * @param sandbox                  when this gateway dials a standalone sandbox, where its {@code /v1/sandbox/...}
     *                                 routes are forwarded ({@link SandboxForwarding})
     */
    public record Settings(String version, long maxBodyBytes, long maxMediaBodyBytes, int instanceCreatesPerMinute,
                           int requestsPerMinute, int sendsPerMinute, int liveClientsPerTenant,
                           int authFailuresPerMinute, java.time.Duration idleTimeout, java.time.Duration headerTimeout,
                           long minBodyBytesPerSecond, Optional<SandboxUpstream> sandbox) {}

    /** A standalone sandbox's address ({@code http://host:port}) and admin token. */
    public record SandboxUpstream(URI base, String token) {}
}
