package ponte.adapters.http.core;

/** The error codes of the API contract, each with its one HTTP status. */
public enum ErrorCode {
    VALIDATION_ERROR(400),
    MALFORMED_JSON(400),
    UNAUTHORIZED(401),
    FORBIDDEN(403),
    QUOTA_EXCEEDED(403),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    CONFLICT(409),
    NOT_CONNECTED(409),
    PAYLOAD_TOO_LARGE(413),
    /** A byte range outside the file (the media route). */
    RANGE_NOT_SATISFIABLE(416),
    RATE_LIMITED(429),
    INTERNAL(500),
    UNAVAILABLE(503);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
