package ponte.domain.instance;

import java.util.regex.Pattern;
import ponte.domain.validation.ValidationException;

/** An instance's name: 1–64 of [A-Za-z0-9_-], unique among a tenant's live instances. */
public record InstanceName(String value) {
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public InstanceName {
        if (value == null || value.isEmpty()) {
            throw ValidationException.of("name", "is required");
        }
        if (!SHAPE.matcher(value).matches()) {
            throw ValidationException.of("name", "must be 1-64 characters of A-Z, a-z, 0-9, '_' or '-'");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
