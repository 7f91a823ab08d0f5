package ponte.adapters.whatsapp.media;

/** An upload or download that did not succeed, with why: the caller retries, asks for a re-upload, or gives up. */
public final class MediaTransferException extends Exception {

    /** Why a transfer failed. */
    public enum Reason {
        /** The host no longer has the file (HTTP 404 or 410): a media-retry request may bring it back. */
        GONE,
        /** The body's hash, MAC or padding is wrong: the file must not be used. */
        INTEGRITY,
        /** The host could not be reached or kept failing after retries, or refused the request. */
        FAILED
    }

    private final Reason reason;

    public MediaTransferException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public MediaTransferException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
