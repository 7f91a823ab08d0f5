package ponte.application.error;

/** A tenant limit reached. */
public final class QuotaExceededException extends RuntimeException {
    public QuotaExceededException(String message) {
        super(message);
    }
}
