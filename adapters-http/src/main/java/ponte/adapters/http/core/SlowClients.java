package ponte.adapters.http.core;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.EventsHandler;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * Cuts off clients that hold a connection open by sending a request slowly (slowloris). Jetty's idle timeout closes a
 * connection on which nothing moves for {@code idleTimeout}, but one byte now and then keeps it alive; so a request's
 * head (request line and headers) must arrive whole within {@code headerTimeout} of its first byte, and its body at
 * {@code minBytesPerSecond} on average once {@code headerTimeout} has passed since the head. Jetty 12 has no such
 * per-request deadline (its {@code MinimumDataRateHandler} divides the server's total bytes, not the request's), so
 * {@link #handler} watches each request's start, body reads and end, and a sweep every {@link #SWEEP} looks at
 * every open HTTP/1.1 connection: bytes arriving while no request is under way are a head coming in.
 */
public final class SlowClients implements LifeCycle.Listener {
    static final Duration SWEEP = Duration.ofMillis(500);
    /** Jetty's HTTP/1.1 connection (internal, so named): upgraded connections (WebSocket) are not watched. */
    private static final String HTTP1 = "org.eclipse.jetty.server.internal.HttpConnection";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SlowClients.class);

    private final Duration idleTimeout;
    private final long headerNanos;
    private final long minBytesPerSecond;
    private final Map<EndPoint, Watch> watches = new ConcurrentHashMap<>();
    private ScheduledExecutorService sweeper;

    /**
     * @param idleTimeout       how long a connection may be silent both ways before Jetty closes it
     * @param headerTimeout     how long a request's head may take to arrive, from its first byte
     * @param minBytesPerSecond the slowest average a request body may arrive at, from the end of its head, judged
     *                          once {@code headerTimeout} has passed (0: no minimum)
     */
    public SlowClients(Duration idleTimeout, Duration headerTimeout, long minBytesPerSecond) {
        this.idleTimeout = idleTimeout;
        this.headerNanos = headerTimeout.toNanos();
        this.minBytesPerSecond = minBytesPerSecond;
    }

    /** Applies the idle timeout to the server's connectors and runs the sweep while the server runs. */
    public void install(Server server) {
        server.addEventListener(this);
    }

    /** The handler that sees each request begin, read its body and end; it goes around the application. */
    public Handler.Singleton handler() {
        return new EventsHandler() {
            @Override
            protected void onBeforeHandling(Request request) {
                var watch = watches.computeIfAbsent(request.getConnectionMetaData().getConnection().getEndPoint(),
                        ignored -> new Watch());
                // a body is announced by a length or by chunks; a GET has neither (its length reads -1, unknown)
                long length = request.getLength();
                watch.begin(length > 0 || length < 0
                        && request.getHeaders().contains(org.eclipse.jetty.http.HttpHeader.TRANSFER_ENCODING));
            }

            @Override
            protected void onRequestRead(Request request, Content.Chunk chunk) {
                var watch = watches.get(request.getConnectionMetaData().getConnection().getEndPoint());
                if (watch != null && chunk != null) {
                    watch.bodyBytes.addAndGet(chunk.remaining());
                    if (chunk.isLast()) {
                        watch.bodyDone = true;
                    }
                }
            }

            @Override
            protected void onComplete(Request request, Throwable failure) {
                var connection = request.getConnectionMetaData().getConnection();
                var watch = watches.get(connection.getEndPoint());
                if (watch != null) {
                    watch.end(connection.getBytesIn());
                }
            }
        };
    }

    @Override
    public void lifeCycleStarting(LifeCycle event) {
        if (event instanceof Server server) {
            for (var connector : server.getConnectors()) {
                if (connector instanceof ServerConnector serverConnector) {
                    serverConnector.setIdleTimeout(idleTimeout.toMillis());
                }
            }
        }
    }

    @Override
    public void lifeCycleStarted(LifeCycle event) {
        if (event instanceof Server server) {
            sweeper = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("ponte-slow-clients").factory());
            sweeper.scheduleWithFixedDelay(() -> sweep(server), SWEEP.toMillis(), SWEEP.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void lifeCycleStopping(LifeCycle event) {
        if (event instanceof Server && sweeper != null) {
            sweeper.shutdownNow();
        }
    }

    private void sweep(Server server) {
        try {
            long now = System.nanoTime();
            var open = new HashSet<EndPoint>();
            for (var connector : server.getConnectors()) {
                for (var endPoint : connector.getConnectedEndPoints()) {
                    var connection = endPoint.getConnection();
                    if (connection != null && connection.getClass().getName().equals(HTTP1)) {
                        open.add(endPoint);
                        check(endPoint, watches.computeIfAbsent(endPoint, ignored -> new Watch()),
                                connection.getBytesIn(), now);
                    }
                }
            }
            watches.keySet().retainAll(open);
        } catch (RuntimeException e) {
            LOG.warn("the slow-client sweep failed; it runs again", e);
        }
    }

    private void check(EndPoint endPoint, Watch watch, long bytesIn, long now) {
        synchronized (watch) {
            if (!watch.handling) {
                if (bytesIn <= watch.bytesAtRest) {
                    watch.headSince = -1;
                } else if (watch.headSince < 0) {
                    watch.headSince = now;
                } else if (now - watch.headSince > headerNanos) {
                    cut(endPoint, "its request head took longer than " + Duration.ofNanos(headerNanos).toSeconds()
                            + " s");
                }
                return;
            }
            long elapsed = now - watch.since;
            if (watch.body && !watch.bodyDone && minBytesPerSecond > 0 && elapsed > headerNanos) {
                double rate = watch.bodyBytes.get() / (elapsed / 1e9);
                if (rate < minBytesPerSecond) {
                    cut(endPoint, "its request body came in at " + (long) rate + " bytes/s");
                }
            }
        }
    }

    private void cut(EndPoint endPoint, String why) {
        LOG.info("closed a slow client's connection: {}", why);
        watches.remove(endPoint);
        endPoint.close();
    }

    /** What one connection is receiving: a request's head (no request under way) or a request's body. */
    private static final class Watch {
        boolean handling;
        boolean body;
        volatile boolean bodyDone;
        long since;
        final AtomicLong bodyBytes = new AtomicLong();
        /** The connection's bytes in when its last request ended: more than this while idle is a new head. */
        long bytesAtRest;
        long headSince = -1;

        synchronized void begin(boolean hasBody) {
            handling = true;
            body = hasBody;
            bodyDone = !hasBody;
            bodyBytes.set(0);
            since = System.nanoTime();
            headSince = -1;
        }

        synchronized void end(long bytesIn) {
            handling = false;
            bytesAtRest = bytesIn;
            headSince = -1;
        }
    }
}
