package ponte.domain.webhook;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import ponte.domain.validation.Violations;

/** Custom headers sent with every POST; the ones Ponte or HTTP itself sets cannot be overridden. */
public final class WebhookHeaders {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}");
    private static final Set<String> RESERVED = Set.of("host", "content-length", "content-type", "connection",
            "transfer-encoding", "upgrade", "expect", "authorization", "te", "trailer");
    private static final int MAX_HEADERS = 20;

    private WebhookHeaders() {}

    public static void validate(Map<String, String> headers, Violations violations) {
        if (headers == null) {
            return;
        }
        violations.check(headers.size() <= MAX_HEADERS, "headers", "at most " + MAX_HEADERS + " headers");
        headers.forEach((name, value) -> {
            var lower = name.toLowerCase(Locale.ROOT);
            violations.check(NAME.matcher(name).matches(), "headers." + name, "is not a valid header name");
            violations.check(!RESERVED.contains(lower) && !lower.startsWith("x-ponte-"), "headers." + name,
                    "is set by Ponte and cannot be overridden (use the authorization field for Authorization)");
            violations.check(value != null && value.length() <= 4096 && value.chars().noneMatch(c -> c == '\r'
                    || c == '\n'), "headers." + name, "must be a single-line value of at most 4096 characters");
        });
    }
}
