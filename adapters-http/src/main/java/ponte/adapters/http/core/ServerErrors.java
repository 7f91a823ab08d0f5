package ponte.adapters.http.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.UUID;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The error envelope for what Jetty refuses before any route, filter or Javalin handler runs: a path it will not
 * decode (an encoded NUL, invalid UTF-8, an ambiguous segment), a request line or headers over its limits. Jetty's
 * default answers those with an HTML page; API.md wants every error, from every route and from none, in the
 * envelope. Its text is fixed: nothing of the refused request is echoed.
 */
public final class ServerErrors extends ErrorHandler {
    private final Clock clock;

    public ServerErrors(Clock clock) {
        this.clock = clock;
    }

    /** Jetty writes its page for GET, POST and HEAD only; the API's refusals have a body whatever the method. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int status, String message,
                                    Throwable cause, Callback callback) {
        var code = Arrays.stream(ErrorCode.values()).filter(c -> c.status() == status).findFirst()
                .orElse(status >= 500 ? ErrorCode.INTERNAL : ErrorCode.VALIDATION_ERROR);
        var requestId = UUID.randomUUID().toString();
        var sentence = switch (status) {
            case 400 -> "the request could not be read: its path, query or headers are not valid HTTP";
            case 404 -> "no route for this path";
            case 405 -> "this method is not allowed here";
            case 413 -> "the request body is too large";
            case 414 -> "the request path is too long";
            case 431 -> "the request headers are too large";
            default -> status >= 500 ? "an internal error occurred; quote request id " + requestId
                    + " when reporting it" : "the request was refused";
        };
        var details = code == ErrorCode.VALIDATION_ERROR
                ? ",\"details\":[{\"field\":\"request\",\"problem\":\"" + sentence + "\"}]" : "";
        var body = "{\"success\":false,\"error\":\"" + sentence + "\",\"error_code\":\"" + code.name()
                + "\",\"timestamp\":\"" + clock.instant() + "\",\"request_id\":\"" + requestId + "\"" + details + "}";
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(RequestIds.HEADER, requestId);
        // Jetty drops the connection after a request it could not parse: say so, or a client that pools connections
        // sends its next request into a closing socket and gets no answer at all
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }
}
