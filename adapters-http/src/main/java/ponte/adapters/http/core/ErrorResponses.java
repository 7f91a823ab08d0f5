package ponte.adapters.http.core;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ponte.adapters.http.dto.ErrorBody;
import ponte.application.error.ConflictException;
import ponte.application.error.ForbiddenException;
import ponte.application.error.NotConnectedException;
import ponte.application.error.NotFoundException;
import ponte.application.error.QuotaExceededException;
import ponte.application.error.RangeNotSatisfiableException;
import ponte.application.error.UnauthorizedException;
import ponte.application.error.UnavailableException;
import ponte.domain.instance.IllegalTransitionException;
import ponte.domain.validation.ValidationException;
import ponte.domain.validation.Violation;

/** Maps every failure, from every route and from no route at all, to the one error envelope. */
public final class ErrorResponses {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);
    /** Set on a request whose answer is already written (an envelope, or a forwarded answer): no error page replaces it. */
    static final String WRITTEN = "ponte.error-written";
    /** Javalin's own test for a WebSocket upgrade request (it works for HTTP/1.1 and HTTP/2). */
    private static final String WEBSOCKET_VERSION = "Sec-WebSocket-Version";

    private final Clock clock;

    public ErrorResponses(Clock clock) {
        this.clock = clock;
    }

    public void install(JavalinConfig config) {
        var routes = config.routes;
        routes.exception(ApiException.class, (e, ctx) -> write(ctx, e.code(), e.getMessage(), e.details()));
        routes.exception(ValidationException.class, (e, ctx) ->
                write(ctx, ErrorCode.VALIDATION_ERROR, "the request is not valid", e.violations()));
        routes.exception(NotFoundException.class, (e, ctx) -> write(ctx, ErrorCode.NOT_FOUND, e.getMessage()));
        routes.exception(ConflictException.class, (e, ctx) -> write(ctx, ErrorCode.CONFLICT, e.getMessage()));
        routes.exception(IllegalTransitionException.class, (e, ctx) -> write(ctx, ErrorCode.CONFLICT, e.getMessage()));
        routes.exception(NotConnectedException.class, (e, ctx) ->
                write(ctx, ErrorCode.NOT_CONNECTED, e.getMessage()));
        routes.exception(QuotaExceededException.class, (e, ctx) ->
                write(ctx, ErrorCode.QUOTA_EXCEEDED, e.getMessage()));
        routes.exception(RangeNotSatisfiableException.class, (e, ctx) -> {
            ctx.header("Content-Range", "bytes */" + e.size());
            write(ctx, ErrorCode.RANGE_NOT_SATISFIABLE, e.getMessage());
        });
        routes.exception(UnavailableException.class, (e, ctx) -> write(ctx, ErrorCode.UNAVAILABLE, e.getMessage()));
        routes.exception(UnauthorizedException.class, (e, ctx) -> write(ctx, ErrorCode.UNAUTHORIZED, e.getMessage()));
        routes.exception(ForbiddenException.class, (e, ctx) -> write(ctx, ErrorCode.FORBIDDEN, e.getMessage()));
        routes.exception(HttpResponseException.class, (e, ctx) -> writeFramework(ctx, e.getStatus()));
        routes.exception(Exception.class, (e, ctx) -> {
            // what is not one of the API's own refusals above is a fault of ours: its text (SQL, stack frames) is
            // for the log only
            LOG.error("request {} {} failed [request_id={}]", ctx.method(), ctx.path(),
                    RequestIds.of(ctx), e);
            write(ctx, ErrorCode.INTERNAL, "an internal error occurred; quote request id " + RequestIds.of(ctx)
                    + " when reporting it");
        });
        // statuses Javalin and Jetty set without an exception: no route, wrong method, body too large
        for (int status : new int[] {400, 404, 405, 413, 500}) {
            routes.error(status, "*", ctx -> {
                if (ctx.attribute(WRITTEN) == null) {
                    writeFramework(ctx, status);
                }
            });
        }
    }

    private void writeFramework(Context ctx, int status) {
        switch (status) {
            case 404 -> write(ctx, ErrorCode.NOT_FOUND, "no route " + ctx.method() + " " + ctx.path());
            case 405 -> write(ctx, ErrorCode.METHOD_NOT_ALLOWED, "method " + ctx.method() + " is not allowed on "
                    + ctx.path());
            case 413 -> write(ctx, ErrorCode.PAYLOAD_TOO_LARGE, "the request body is too large");
            case 400 -> write(ctx, ErrorCode.MALFORMED_JSON, "the request could not be read");
            default -> write(ctx, ErrorCode.INTERNAL, "an internal error occurred; quote request id "
                    + RequestIds.of(ctx) + " when reporting it");
        }
    }

    public void write(Context ctx, ErrorCode code, String message) {
        write(ctx, code, message, List.of());
    }

    public void write(Context ctx, ErrorCode code, String message, List<Violation> violations) {
        var details = violations.isEmpty() ? null : violations.stream()
                .map(v -> new ErrorBody.Detail(v.field(), v.problem())).toList();
        ctx.attribute(WRITTEN, true);
        ctx.status(code.status());
        ctx.header(RequestIds.HEADER, RequestIds.of(ctx));
        var body = new ErrorBody(false, message, code.name(), clock.instant(), RequestIds.of(ctx), details);
        if (ctx.header(WEBSOCKET_VERSION) != null) {
            writeRefusedUpgrade(ctx, body);
        } else {
            ctx.json(body);
        }
    }

    /**
     * A refused WebSocket upgrade: Javalin maps the exception on its upgrade context but never writes that context's
     * result, so the envelope goes to the servlet response here (else the refusal would have an empty body).
     */
    private static void writeRefusedUpgrade(Context ctx, ErrorBody body) {
        var bytes = ctx.jsonMapper().toJsonString(body, ErrorBody.class).getBytes(StandardCharsets.UTF_8);
        var response = ctx.res();
        response.setContentType("application/json");
        response.setContentLength(bytes.length);
        try {
            response.getOutputStream().write(bytes);
            response.flushBuffer();
        } catch (IOException e) {
            LOG.debug("the client left before its upgrade was refused [request_id={}]", RequestIds.of(ctx));
        }
    }

    /**
     * The sentence a user may read for {@code e}: the message of one of the API's own refusals (the exceptions
     * mapped to a 4xx or 503 above), or empty for anything else, whose text (a database error, say) belongs in the
     * log only.
     */
    public static java.util.Optional<String> userMessage(RuntimeException e) {
        boolean ours = e instanceof ApiException || e instanceof IllegalTransitionException
                || e.getClass().getPackageName().equals(NotFoundException.class.getPackageName());
        return ours ? java.util.Optional.ofNullable(e.getMessage()) : java.util.Optional.empty();
    }
}
