package ponte.adapters.whatsapp.crypto;

/** A primitive failed in a way no caller can repair (bad key length, missing JDK algorithm, failed tag). */
public final class CryptoException extends RuntimeException {

    public CryptoException(String message) {
        super(message);
    }

    public CryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
