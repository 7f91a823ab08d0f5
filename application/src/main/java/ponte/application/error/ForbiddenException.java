package ponte.application.error;

/** A valid token whose kind may not use this route. */
public final class ForbiddenException extends RuntimeException {
    public ForbiddenException(String message) {
        super(message);
    }
}
