package ponte.application.error;

/** A missing, unknown or revoked token. */
public final class UnauthorizedException extends RuntimeException {
    public UnauthorizedException(String message) {
        super(message);
    }
}
