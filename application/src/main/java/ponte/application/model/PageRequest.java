package ponte.application.model;

import ponte.domain.validation.Violations;

/** Which page of a newest-first listing to read: at most 200 items after an opaque cursor. */
public record PageRequest(int limit, String cursor) {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    public PageRequest {
        new Violations().check(limit >= 1 && limit <= MAX_LIMIT, "limit", "must be between 1 and 200").throwIfAny();
    }

    public static PageRequest first() {
        return new PageRequest(DEFAULT_LIMIT, null);
    }
}
