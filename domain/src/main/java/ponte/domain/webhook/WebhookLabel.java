package ponte.domain.webhook;

import java.util.regex.Pattern;
import ponte.domain.validation.ValidationException;

/** Names one webhook of an instance: 1-64 of [A-Za-z0-9_-]; the inline block on instance creation is 'default'. */
public record WebhookLabel(String value) {
    // SHAPE first: DEFAULT is validated by it while the class initialises
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    public static final WebhookLabel DEFAULT = new WebhookLabel("default");

    public WebhookLabel {
        if (value == null || !SHAPE.matcher(value).matches()) {
            throw ValidationException.of("label", "must be 1-64 characters of A-Z, a-z, 0-9, '_' or '-'");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
