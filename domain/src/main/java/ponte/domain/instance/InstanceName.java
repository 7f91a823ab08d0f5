package ponte.domain.instance;

import java.util.regex.Pattern;
import ponte.domain.validation.ValidationException;

/**
 * An instance's name: 1–64 of [A-Za-z0-9_-], unique among a tenant's live instances, and never shaped like a UUID
 * (8-4-4-4-12 hex digits): routes take an id or a name in the same place, and the id wins, so such a name would
 * address another instance.
 */
public record InstanceName(String value) {
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern UUID_SHAPE =
            Pattern.compile("\\p{XDigit}{8}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{12}");

    public InstanceName {
        if (value == null || value.isEmpty()) {
            throw ValidationException.of("name", "is required");
        }
        if (!SHAPE.matcher(value).matches()) {
            throw ValidationException.of("name", "must be 1-64 characters of A-Z, a-z, 0-9, '_' or '-'");
        }
        if (UUID_SHAPE.matcher(value).matches()) {
            throw ValidationException.of("name", "must not be shaped like a UUID: ids and names share the routes");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
