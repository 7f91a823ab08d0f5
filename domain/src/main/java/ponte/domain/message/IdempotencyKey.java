package ponte.domain.message;

import java.util.regex.Pattern;
import ponte.domain.validation.ValidationException;

/**
 * The caller's {@code idempotency_key}: the same key on the same instance within 24 h names the same message, which
 * is sent once (API.md "Messages"). 1-128 visible ASCII characters ({@code !} to {@code ~}, no spaces), so a
 * UUID, a ULID or an order number all fit and the key can be logged, stored and compared byte for byte.
 */
public record IdempotencyKey(String value) {
    public static final int MAX_LENGTH = 128;
    private static final Pattern SHAPE = Pattern.compile("[\\x21-\\x7E]{1," + MAX_LENGTH + "}");
    static final String FIELD = "idempotency_key";
    static final String RULE = "must be 1-" + MAX_LENGTH + " visible ASCII characters (no spaces)";

    public IdempotencyKey {
        if (value == null || !SHAPE.matcher(value).matches()) {
            throw ValidationException.of(FIELD, RULE);
        }
    }

    static boolean isValid(String value) {
        return SHAPE.matcher(value).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
