package ponte.adapters.whatsapp.signal;

/**
 * A Signal message or bundle that cannot be used, with the reason a caller acts on: a {@link Reason#DUPLICATE}
 * is a redelivery to acknowledge and drop; {@link Reason#NO_SESSION}, {@link Reason#INVALID_MESSAGE} and
 * {@link Reason#UNKNOWN_PRE_KEY} call for a retry receipt (WhatsApp's recovery, protocol.md §1.15). No state was
 * changed when this is thrown.
 */
public final class SignalException extends Exception {

    /** Why the operation was refused. */
    public enum Reason {
        /** No session (1:1) or no sender key (group) for the sender. */
        NO_SESSION,
        /**
         * The message key was already used, or was skipped so long ago that it was dropped: a replayed or
         * redelivered message (libsignal MessageCounterError, DuplicateMessageException).
         */
        DUPLICATE,
        /** Malformed bytes, an unsupported version, a wrong MAC or a failed decryption. */
        INVALID_MESSAGE,
        /** The signed prekey's or the sender key message's XEdDSA signature does not verify. */
        INVALID_SIGNATURE,
        /** The pkmsg names a one-time or signed prekey this device does not have (any more). */
        UNKNOWN_PRE_KEY,
        /** The message is more than 2,000 keys ahead of its chain (libsignal's limit). */
        TOO_FAR_AHEAD
    }

    private final Reason reason;

    public SignalException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public SignalException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
