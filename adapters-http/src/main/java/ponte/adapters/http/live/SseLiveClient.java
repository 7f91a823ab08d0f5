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
     * Closes the stream; a client that fell behind has its connection cut at once: its writer may be blocked on a
     * socket the client does not read, which a polite close would wait behind.
     */
    @Override
    void terminate(boolean fellBehind) {
        if (fellBehind) {
            var request = org.eclipse.jetty.ee10.servlet.ServletContextRequest.getServletContextRequest(
                    sse.ctx().req());
            if (request != null) {
                request.getConnectionMetaData().getConnection().getEndPoint().close();
            }
        }
        sse.close();
    }
}
