package ponte.adapters.whatsapp.media;

/** A media body whose hash, MAC or padding does not check out: nothing decrypted from it may be used. */
public final class MediaIntegrityException extends Exception {
    public MediaIntegrityException(String message) {
        super(message);
    }
}
