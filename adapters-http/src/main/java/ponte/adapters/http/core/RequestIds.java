package ponte.adapters.http.core;

import io.javalin.http.Context;
import java.util.UUID;
import java.util.regex.Pattern;

/** Every response carries X-Request-Id: the caller's own when it is sane, a new one otherwise. */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";
    private static final String ATTRIBUTE = "ponte.request-id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private RequestIds() {}

    public static void assign(Context ctx) {
        var offered = ctx.header(HEADER);
        var id = offered != null && SANE.matcher(offered).matches() ? offered : UUID.randomUUID().toString();
        ctx.attribute(ATTRIBUTE, id);
        ctx.header(HEADER, id);
    }

    public static String of(Context ctx) {
        String id = ctx.attribute(ATTRIBUTE);
        if (id == null) {
            assign(ctx);
            id = ctx.attribute(ATTRIBUTE);
        }
        return id;
    }
}
