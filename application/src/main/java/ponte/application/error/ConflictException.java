package ponte.application.error;

/** A state clash: a name or token already taken, or an operation that does not fit the current state. */
public final class ConflictException extends RuntimeException {
    public ConflictException(String message) {
        super(message);
    }
}
