package ponte.adapters.http.core;

import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import java.io.IOException;

/**
 * Opens a Server-Sent Events stream on the request's own (virtual) thread. Not Javalin's SseHandler: that one
 * silently answers text/plain unless the request sends {@code Accept: text/event-stream}, which curl and many HTTP
 * libraries do not.
 */
public final class ServerSentEvents {
    private ServerSentEvents() {}

    public static SseClient open(Context ctx) throws IOException {
        ctx.status(200).contentType("text/event-stream").header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no");
        ctx.res().flushBuffer();
        return new SseClient(ctx);
    }
}
