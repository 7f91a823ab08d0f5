package ponte.adapters.http.core;

import io.javalin.http.Context;
import java.io.IOException;
import java.util.Arrays;

/**
 * How large a request body may be, per route, and the reading that keeps to it. A route whose body carries a file
 * ({@code base64}, the media sends) may take {@code media} bytes; every other route {@code general}. An announced
 * {@code Content-Length} over the cap is refused with 413 {@code PAYLOAD_TOO_LARGE} before anything else of the
 * request is looked at (no authentication, nothing read); a body without a length (chunked) is read up to the cap
 * and refused the moment it passes it, so no more than the cap is ever held in memory.
 *
 * @param general bytes a JSON body may have ({@code PONTE_MAX_BODY_BYTES})
 * @param media   bytes a body with a {@code base64} file may have ({@code PONTE_MAX_MEDIA_BODY_BYTES})
 */
public record BodyLimits(long general, long media) {
    private static final String CAP = "ponte.body-cap";
    private static final String BYTES = "ponte.body-bytes";

    /** The largest body any route takes: the server's own backstop. */
    public long largest() {
        return Math.max(general, media);
    }

    /** The cap of this route's body: {@code media} when its body type has a {@code base64} component. */
    public long of(Route route) {
        var type = route.requestBody();
        boolean file = type != null && type.isRecord() && Arrays.stream(type.getRecordComponents())
                .anyMatch(component -> component.getName().equals("base64"));
        return file ? media : general;
    }

    /** Refuses an announced length over {@code cap} at once and keeps {@code cap} for {@link #read}. */
    static void admit(Context ctx, long cap) {
        ctx.attribute(CAP, cap);
        if (ctx.contentLength() > cap) {
            throw tooLarge(cap);
        }
    }

    /** The request's body, read once and kept, never more than its route's cap. */
    static byte[] read(Context ctx) {
        byte[] kept = ctx.attribute(BYTES);
        if (kept != null) {
            return kept;
        }
        Long cap = ctx.attribute(CAP);
        long limit = cap == null ? Integer.MAX_VALUE - 16 : cap;
        if (ctx.contentLength() > limit) {
            throw tooLarge(limit);
        }
        byte[] body;
        try {
            body = ctx.req().getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 16, limit + 1));
        } catch (IOException e) {
            throw new ApiException(ErrorCode.MALFORMED_JSON, "the request body could not be read");
        }
        if (body.length > limit) {
            throw tooLarge(limit);
        }
        ctx.attribute(BYTES, body);
        return body;
    }

    private static ApiException tooLarge(long cap) {
        return new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "the request body is larger than this route takes ("
                + cap + " bytes)");
    }
}
