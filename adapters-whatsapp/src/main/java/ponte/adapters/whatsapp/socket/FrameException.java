package ponte.adapters.whatsapp.socket;

/** The peer broke the framing rules; the connection cannot continue. */
public final class FrameException extends RuntimeException {

    public FrameException(String message) {
        super(message);
    }
}
