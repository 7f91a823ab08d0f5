package ponte.adapters.http.live;

import io.javalin.http.Context;
import io.javalin.websocket.WsConfig;
import java.util.List;
import ponte.adapters.http.core.Access;
import ponte.adapters.http.core.Authenticator;
import ponte.adapters.http.core.Routes;
import ponte.application.port.in.UseCases;
import ponte.domain.validation.ValidationException;

/**
 * The live feed: WebSocket upgrades and Server-Sent Events. The WebSocket paths are declared as documented GET
 * routes too: their handler authenticates and checks the feed before Javalin upgrades (and answers a plain GET
 * with 400), so both kinds of client get the same errors in the same envelope.
 */
public final class LiveRoutes {
    /** The paths that upgrade to a WebSocket. */
    public static final List<String> WEBSOCKET_PATHS = List.of("/v1/instances/{id}/ws", "/ws/{name}");
    private static final String CLIENT = "ponte.live-client";
    private static final String TAG = "Live events";

    private LiveRoutes() {}

    public static void register(Routes routes, UseCases useCases, LiveHub hub) {
        routes.get(WEBSOCKET_PATHS.get(0)).access(Access.ACCOUNT_OR_INSTANCE).queryToken().tag(TAG)
                .summary("Live events over WebSocket")
                .description(WS_ABOUT)
                .returns(101, null).errors(400, 404, 429)
                .handle(ctx -> admit(ctx, useCases, hub));
        routes.get(WEBSOCKET_PATHS.get(1)).access(Access.ACCOUNT_OR_INSTANCE).queryToken().tag(TAG)
                .summary("Live events over WebSocket, by instance name")
                .description("Alias of `/v1/instances/{id}/ws`.")
                .returns(101, null).errors(400, 404, 429)
                .handle(ctx -> admit(ctx, useCases, hub));
        routes.get("/v1/instances/{id}/events/stream").access(Access.ACCOUNT_OR_INSTANCE).queryToken().tag(TAG)
                .summary("Live events as Server-Sent Events")
                .description("The WebSocket feed for clients that cannot open one: each event is an SSE event "
                        + "named after its type, with the envelope as data and its event_id as id. Same rules: "
                        + "400 when the feed is not enabled, a 256-event buffer per client (one that falls behind is "
                        + "disconnected), comments every 25 s, 429 `RATE_LIMITED` past the tenant's "
                        + "`PONTE_LIVE_CLIENTS_PER_TENANT` open clients (WebSocket and SSE together).")
                .returnsText("text/event-stream").errors(400, 404, 429)
                .handle(ctx -> {
                    var feed = useCases.websocket().open(Authenticator.principal(ctx), ctx.pathParam("id"));
                    hub.stream(feed, ctx);
                });
    }

    /** The WebSocket side, registered on Javalin next to the documented GET routes. */
    public static void configure(WsConfig ws, LiveHub hub) {
        ws.onConnect(ctx -> hub.attach(ctx.<WsLiveClient>attribute(CLIENT), ctx));
        ws.onClose(hub::detach);
        ws.onError(hub::detach);
    }

    private static void admit(Context ctx, UseCases useCases, LiveHub hub) {
        var instance = ctx.pathParamMap().containsKey("id") ? ctx.pathParam("id") : ctx.pathParam("name");
        var feed = useCases.websocket().open(Authenticator.principal(ctx), instance);
        if (!"websocket".equalsIgnoreCase(ctx.header("Upgrade"))) {
            throw ValidationException.of("upgrade", "this route upgrades to a WebSocket; connect with a WebSocket "
                    + "client, or use /v1/instances/{id}/events/stream for Server-Sent Events");
        }
        ctx.attribute(CLIENT, hub.admit(feed, ctx));
    }

    private static final String WS_ABOUT = """
            Upgrades to a WebSocket. Auth by header or `?token=`; 400 when the instance's WebSocket is not \
            enabled. Each text frame is one event envelope, filtered by the configuration's `events`. Every \
            client has a 256-frame buffer; a client that falls behind (or stops reading) is closed with code 1013, \
            without slowing the others. A tenant may have `PONTE_LIVE_CLIENTS_PER_TENANT` clients (WebSocket and \
            SSE together) open on a node; past that the upgrade is refused with 429 `RATE_LIMITED`. The server pings \
            every 25 s. Not durable: use webhooks for events that must not be lost.""";
}
