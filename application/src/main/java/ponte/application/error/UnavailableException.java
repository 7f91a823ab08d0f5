package ponte.application.error;

/** Something the request needs does not answer now (WhatsApp, the database); trying again later may work. */
public final class UnavailableException extends RuntimeException {
    public UnavailableException(String message) {
        super(message);
    }
}
