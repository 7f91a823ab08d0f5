package ponte.adapters.http.live;

import io.javalin.websocket.WsContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import ponte.domain.event.EventFilter;

final class WsLiveClient extends LiveClient {
    /** RFC 6455 "Try Again Later": the client fell behind its buffer. */
    static final int FELL_BEHIND = 1013;

    /** The session, once Jetty opened it; frames wait in the buffer until then. */
    private final CompletableFuture<WsContext> session = new CompletableFuture<>();

    /** A client admitted before its upgrade: it listens already, and writes once {@link #opened} gives it a session. */
    WsLiveClient(EventFilter filter, java.util.function.UnaryOperator<String> embedMedia) {
        super(filter);
        this.embedMedia = embedMedia;
    }

    /** What a message event's JSON becomes before it is sent: media embedded for a {@code media_base64} feed. */
    private final java.util.function.UnaryOperator<String> embedMedia;

    void opened(WsContext ctx) {
        session.complete(ctx);
    }

    /** Whether the upgrade never completed: nothing will ever read this client. */
    boolean neverOpened() {
        return !session.isDone();
    }

    boolean is(WsContext other) {
        var ctx = session.getNow(null);
        return ctx != null && ctx.sessionId().equals(other.sessionId());
    }

    @Override
    void send(Frame frame) throws Exception {
        var ctx = session.get();
        var sent = new Callback.Completable();
        ctx.session.sendText("message.exchange".equals(frame.event()) ? embedMedia.apply(frame.json()) : frame.json(),
                sent);
        sent.get();
    }

    @Override
    void ping() {
        // Jetty sends the pings itself (enableAutomaticPings)
    }

    @Override
    void terminate(boolean fellBehind) {
        var ctx = session.getNow(null);
        if (ctx == null || !ctx.session.isOpen()) {
            return;
        }
        if (fellBehind) {
            var closed = new Callback.Completable();
            ctx.session.close(FELL_BEHIND, "client fell behind: more than " + BUFFER + " frames unread", closed);
            try {
                closed.get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                ctx.session.disconnect();
            }
        } else {
            ctx.closeSession();
        }
    }
}
