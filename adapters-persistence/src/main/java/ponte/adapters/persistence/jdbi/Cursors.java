package ponte.adapters.persistence.jdbi;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import ponte.application.model.Page;
import ponte.domain.validation.ValidationException;

/** Newest-first keyset pagination over time-ordered UUIDs; the cursor is the last id seen, opaque to clients. */
final class Cursors {
    private Cursors() {}

    static UUID decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            return UUID.fromString(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw ValidationException.of("cursor", "is not a cursor this server issued");
        }
    }

    /** Rows were read with limit + 1 so that the extra row tells whether another page exists. */
    static <T> Page<T> page(List<T> rows, int limit, Function<T, UUID> id) {
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        var items = rows.subList(0, limit);
        var last = id.apply(items.getLast()).toString();
        return new Page<>(items, Base64.getUrlEncoder().withoutPadding()
                .encodeToString(last.getBytes(StandardCharsets.US_ASCII)));
    }
}
