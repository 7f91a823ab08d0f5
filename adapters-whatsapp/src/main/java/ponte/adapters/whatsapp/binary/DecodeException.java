package ponte.adapters.whatsapp.binary;

/** The bytes are not a well-formed binary node. */
public final class DecodeException extends RuntimeException {

    public DecodeException(String message) {
        super(message);
    }

    public DecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
