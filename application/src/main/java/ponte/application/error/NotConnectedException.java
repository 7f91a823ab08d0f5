package ponte.application.error;

/** An operation that needs a linked WhatsApp session on an instance that has none. */
public final class NotConnectedException extends RuntimeException {
    public NotConnectedException(String message) {
        super(message);
    }
}
