package ponte.adapters.whatsapp.socket;

/** The Noise handshake failed: bad message, failed decryption, or a server certificate we do not trust. */
public final class HandshakeException extends Exception {

    public HandshakeException(String message) {
        super(message);
    }

    public HandshakeException(String message, Throwable cause) {
        super(message, cause);
    }
}
