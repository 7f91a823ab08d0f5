package ponte.adapters.http.core;

import java.util.List;
import ponte.domain.validation.Violation;

/** A failure the HTTP layer itself detects (bad JSON, a missing token, a rate limit) with its envelope fields. */
public final class ApiException extends RuntimeException {
    private final ErrorCode code;
    private final transient List<Violation> details;

    public ApiException(ErrorCode code, String message) {
        this(code, message, List.of());
    }

    public ApiException(ErrorCode code, String message, List<Violation> details) {
        super(message);
        this.code = code;
        this.details = List.copyOf(details);
    }

    public ErrorCode code() {
        return code;
    }

    public List<Violation> details() {
        return details;
    }
}
