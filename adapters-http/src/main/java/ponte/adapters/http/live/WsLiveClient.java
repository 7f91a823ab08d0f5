package ponte.adapters.http.live;

import io.javalin.websocket.WsContext;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import ponte.domain.event.EventFilter;

final class WsLiveClient extends LiveClient {
    /** RFC 6455 "Try Again Later": the client fell behind its buffer. */
    static final int FELL_BEHIND = 1013;

    private final WsContext ctx;

    WsLiveClient(EventFilter filter, WsContext ctx) {
        super(filter);
        this.ctx = ctx;
    }

    boolean is(WsContext other) {
        return ctx.sessionId().equals(other.sessionId());
    }

    @Override
    void send(Frame frame) throws Exception {
        var sent = new Callback.Completable();
        ctx.session.sendText(frame.json(), sent);
        sent.get();
    }

    @Override
    void ping() {
        // Jetty sends the pings itself (enableAutomaticPings)
    }

    @Override
    void terminate(boolean fellBehind) {
        if (!ctx.session.isOpen()) {
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
