package ponte.adapters.http.live;

import io.javalin.http.sse.SseClient;
import ponte.domain.event.EventFilter;

final class SseLiveClient extends LiveClient {
    private final SseClient sse;

    SseLiveClient(EventFilter filter, SseClient sse) {
        super(filter);
        this.sse = sse;
    }

    @Override
    void send(Frame frame) {
        sse.sendEvent(frame.event(), frame.json(), frame.id());
        if (sse.terminated()) {
            close(false);
        }
    }

    @Override
    void ping() {
        sse.sendComment("ping");
    }

    /**
     * Closes the stream. A client that fell behind has its writer blocked on a socket it does not read; closing the
     * stream aborts that write and the connection with it (NodeLimitsTest shows such a client disconnected at once).
     */
    @Override
    void terminate(boolean fellBehind) {
        sse.close();
    }
}
