package ponte.adapters.http.routes;

import java.util.Optional;
import java.util.regex.Pattern;
import ponte.adapters.http.core.Access;
import ponte.adapters.http.core.Authenticator;
import ponte.adapters.http.core.Routes;
import ponte.application.port.in.MediaUseCase;
import ponte.application.port.in.MediaUseCase.ByteRange;

/**
 * The media files of messages (API.md "Media"): served with their stored MIME type and length, whole or one byte
 * range at a time (RFC 9110 §14), streamed from the local media store or the instance's S3 bucket.
 */
public final class MediaRoutes {
    private static final Pattern SINGLE_RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    /** The routes also answered for {@code HEAD}: the same headers as their GET, no body (RFC 9110 §9.3.2). */
    public static final java.util.Set<String> HEAD_TOO = java.util.Set.of("/v1/instances/{id}/media/{message_id}");

    private MediaRoutes() {}

    public static void register(Routes routes, MediaUseCase media) {
        routes.get("/v1/instances/{id}/media/{message_id}").access(Access.ACCOUNT_OR_INSTANCE).tag("Messages")
                .summary("Download the media file of a message")
                .description("The file of a received or sent media message, with its stored MIME type as "
                        + "`Content-Type`, its `Content-Length` and `Accept-Ranges: bytes`. A `Range: bytes=first-last`"
                        + " (or `first-`, or `-suffix`) header asks for part of it: 206 with `Content-Range`; a range "
                        + "outside the file is 416 with `Content-Range: bytes */<size>`; a header with several ranges "
                        + "or another unit is ignored (the whole file, 200); a first byte too large to count is "
                        + "past the end (416). `HEAD` answers the same status and headers with no body. The "
                        + "`Content-Type` is the type detected from the stored bytes (Apache Tika), which may differ "
                        + "from what a sender claimed. The file is streamed from where it is "
                        + "stored (the gateway's media store or the instance's S3 bucket). 404 for a message "
                        + "without a stored file, or another tenant's instance.")
                .returnsText("application/octet-stream")
                .alsoReturns(206, "one byte range of the file (`Range` header)", String.class)
                .errors(404, 416)
                .handle(ctx -> {
                    var range = parseRange(ctx.header("Range"));
                    var content = media.open(Authenticator.principal(ctx), ctx.pathParam("id"),
                            ctx.pathParam("message_id"), range);
                    // the bytes go as stored: compressing would break Content-Length and the ranges' offsets
                    ctx.disableCompression();
                    ctx.status(content.partial() ? 206 : 200);
                    ctx.header("Accept-Ranges", "bytes");
                    ctx.header("Content-Length", Long.toString(content.length()));
                    ctx.header("Cache-Control", "private, max-age=3600");
                    // a file is whatever its sender said it is: the browser must not sniff it into something
                    // else, and only pictures, video and sound open in place; anything else (HTML, SVG, scripts)
                    // is a download and runs no script on the gateway's origin
                    ctx.header("X-Content-Type-Options", "nosniff");
                    ctx.header("Content-Security-Policy", "sandbox; default-src 'none'");
                    var disposition = opensInPlace(content.mimeType()) ? "inline" : "attachment";
                    ctx.header("Content-Disposition", disposition + content.fileName()
                            .map(name -> "; filename*=UTF-8''" + encode(name)).orElse(""));
                    if (content.partial()) {
                        ctx.header("Content-Range", "bytes " + content.offset() + "-"
                                + (content.offset() + content.length() - 1) + "/" + content.totalSize());
                    }
                    ctx.contentType(content.mimeType());
                    if (ctx.method() == io.javalin.http.HandlerType.HEAD) {
                        content.body().close(); // the headers only: nothing is read from the store
                        return;
                    }
                    ctx.result(content.body());
                });
    }

    /** Pictures (not SVG, which can carry script), video and sound: what a browser shows without running code. */
    static boolean opensInPlace(String mimeType) {
        var type = mimeType.toLowerCase(java.util.Locale.ROOT).strip();
        return (type.startsWith("image/") && !type.startsWith("image/svg")) || type.startsWith("video/")
                || type.startsWith("audio/");
    }

    /** One {@code bytes=} range; anything else (several ranges, another unit, garbage) means the whole file. */
    static Optional<ByteRange> parseRange(String header) {
        if (header == null) {
            return Optional.empty();
        }
        var matcher = SINGLE_RANGE.matcher(header.strip());
        if (!matcher.matches() || (matcher.group(1).isEmpty() && matcher.group(2).isEmpty())) {
            return Optional.empty();
        }
        // a number too large for a long is past the end of any file: counted as Long.MAX_VALUE, a first byte there
        // is unsatisfiable (416), a last byte or suffix there reaches the end of the file
        var first = matcher.group(1).isEmpty() ? null : saturated(matcher.group(1));
        var last = matcher.group(2).isEmpty() ? null : saturated(matcher.group(2));
        if (first != null && last != null && last < first) {
            return Optional.empty(); // RFC 9110 §14.1.1: an invalid range-spec; the header is ignored
        }
        return Optional.of(new ByteRange(first, last));
    }

    /** The decimal digits' value, or {@link Long#MAX_VALUE} when larger. */
    private static long saturated(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException tooLarge) {
            return Long.MAX_VALUE;
        }
    }

    private static String encode(String name) {
        return java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
