package ponte.adapters.http.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.websocket.WsContext;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import ponte.application.port.in.ConfigureWebSocketUseCase.LiveFeed;
import ponte.application.port.in.ReadEventUseCase;
import ponte.application.port.out.LiveEvents;
import ponte.adapters.http.core.ApiException;
import ponte.adapters.http.core.ErrorCode;
import ponte.adapters.http.core.ServerSentEvents;
import ponte.domain.event.EventEnvelope;
import ponte.domain.event.EventType;

/**
 * Fans events out to the WebSocket and SSE clients of each instance on this node. Nothing is serialised for an
 * instance nobody listens to; events stored by other nodes arrive through {@link #remote}.
 */
public final class LiveHub implements LiveEvents {
    static final Duration PING_EVERY = Duration.ofSeconds(25);
    static final Duration OPEN_WITHIN = Duration.ofSeconds(30);
    /** The Retry-After of a refused live client: a guess, since nobody knows when another one closes. */
    private static final Duration RETRY_CLIENTS = Duration.ofSeconds(10);

    private final Map<UUID, Set<LiveClient>> clients = new ConcurrentHashMap<>();
    private final ObjectMapper json;
    private final ReadEventUseCase events;
    private final ScheduledExecutorService pings = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("ponte-live-ping").factory());

    private final MediaEmbedder media;
    private final int clientsPerTenant;
    /** Open (or admitted) clients per tenant on this node. */
    private final Map<UUID, java.util.concurrent.atomic.AtomicInteger> perTenant = new ConcurrentHashMap<>();

    /** @param clientsPerTenant how many WebSocket and SSE clients one tenant may have open at once on this node */
    public LiveHub(ObjectMapper json, ReadEventUseCase events, ponte.application.port.in.MediaUseCase media,
                   int clientsPerTenant) {
        this.json = json;
        this.clientsPerTenant = clientsPerTenant;
        this.media = new MediaEmbedder(media);
        this.events = events;
        pings.scheduleAtFixedRate(this::pingSse, PING_EVERY.toSeconds(), PING_EVERY.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void published(EventEnvelope event, boolean deliveriesQueued) {
        var listening = clients.get(event.instanceId());
        if (listening == null || listening.isEmpty()) {
            return;
        }
        LiveClient.Frame frame = null;
        for (var client : listening) {
            if (client.wants(event.event())) {
                if (frame == null) {
                    frame = new LiveClient.Frame(serialise(event), event.event().wireName(),
                            event.eventId().toString());
                }
                client.offer(frame);
            }
        }
    }

    /** Another node stored this event; fetched only when a client here wants it. */
    public void remote(UUID instanceId, UUID eventId, String event) {
        var type = EventType.fromWire(event);
        var listening = clients.get(instanceId);
        if (type.isEmpty() || listening == null || listening.stream().noneMatch(c -> c.wants(type.get()))) {
            return;
        }
        events.payload(eventId).ifPresent(payload -> {
            var frame = new LiveClient.Frame(payload, event, eventId.toString());
            listening.stream().filter(c -> c.wants(type.get())).forEach(c -> c.offer(frame));
        });
    }

    /**
     * Listens for a WebSocket client as soon as its upgrade is accepted, before Jetty opens the session (the client
     * may see the upgrade complete first): events committed from then on reach it, buffered until {@link #attach}.
     * One whose session never opens is dropped after {@link #OPEN_WITHIN}.
     */
    WsLiveClient admit(LiveFeed feed, Context ctx) {
        reserve(feed, ctx);
        var client = new WsLiveClient(feed.config().events(),
                feed.config().mediaBase64() ? media::embed : java.util.function.UnaryOperator.identity());
        register(feed, client);
        pings.schedule(() -> {
            if (client.neverOpened()) {
                client.close(false);
            }
        }, OPEN_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        return client;
    }

    void attach(WsLiveClient client, WsContext ctx) {
        ctx.enableAutomaticPings(PING_EVERY.toSeconds(), TimeUnit.SECONDS);
        client.opened(ctx);
    }

    /** Serves one SSE client on the request's own (virtual) thread until it goes away. */
    void stream(LiveFeed feed, Context ctx) throws java.io.IOException, InterruptedException {
        reserve(feed, ctx);
        io.javalin.http.sse.SseClient sse;
        try {
            sse = ServerSentEvents.open(ctx);
        } catch (java.io.IOException | RuntimeException e) {
            release(feed.instance().tenantId());
            throw e;
        }
        var client = new SseLiveClient(feed.config().events(), sse);
        sse.onClose(() -> client.close(false));
        register(feed, client);
        client.awaitClosed();
    }

    void detach(WsContext ctx) {
        clients.values().forEach(set -> set.stream().filter(c -> c instanceof WsLiveClient ws && ws.is(ctx))
                .toList().forEach(c -> c.close(false)));
    }

    /** How many clients listen to an instance on this node. */
    public int listeners(UUID instanceId) {
        var set = clients.get(instanceId);
        return set == null ? 0 : set.size();
    }

    /**
     * Counts one more client of the feed's tenant, or refuses it with 429 {@code RATE_LIMITED} when the tenant has
     * {@code clientsPerTenant} open on this node already; {@link #register} gives the place back when it closes.
     */
    private void reserve(LiveFeed feed, Context ctx) {
        var open = perTenant.computeIfAbsent(feed.instance().tenantId(), id -> new java.util.concurrent.atomic.AtomicInteger());
        if (open.incrementAndGet() > clientsPerTenant) {
            release(feed.instance().tenantId());
            ctx.header("Retry-After", Long.toString(RETRY_CLIENTS.toSeconds()));
            throw new ApiException(ErrorCode.RATE_LIMITED, "this tenant has " + clientsPerTenant + " live clients "
                    + "(WebSocket and SSE) open on this node, the most it may; close one first");
        }
    }

    private void release(UUID tenantId) {
        perTenant.computeIfPresent(tenantId, (id, open) -> open.decrementAndGet() <= 0 ? null : open);
    }

    /** How many live clients a tenant has open on this node. */
    public int clientsOf(UUID tenantId) {
        var open = perTenant.get(tenantId);
        return open == null ? 0 : open.get();
    }

    private void register(LiveFeed feed, LiveClient client) {
        var tenantId = feed.instance().tenantId();
        register(feed.instance().id(), client, () -> release(tenantId));
    }

    void register(UUID instanceId, LiveClient client) {
        register(instanceId, client, () -> {});
    }

    private void register(UUID instanceId, LiveClient client, Runnable released) {
        var set = clients.computeIfAbsent(instanceId, id -> ConcurrentHashMap.newKeySet());
        set.add(client);
        client.start(() -> {
            set.remove(client);
            clients.computeIfPresent(instanceId, (id, s) -> s.isEmpty() ? null : s);
            released.run();
        });
    }

    private void pingSse() {
        clients.values().forEach(set -> set.stream().filter(c -> c instanceof SseLiveClient)
                .forEach(c -> c.offer(LiveClient.PING)));
    }

    private String serialise(EventEnvelope event) {
        try {
            return json.writeValueAsString(event.wireForm());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event could not be serialised", e);
        }
    }

    public void close() {
        pings.shutdownNow();
        clients.values().forEach(set -> set.forEach(c -> c.close(false)));
    }
}
