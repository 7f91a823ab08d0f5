package ponte.adapters.whatsapp.client;

import java.util.OptionalInt;

/**
 * A message that did not go out, with the reason: the recipient is not on WhatsApp, none of its devices has keys,
 * or the server refused the stanza in its ack ({@code <ack class=message error=…>}: 479 for a stanza its validation
 * refuses, 463 for a missing privacy token; protocol.md §1.14). {@link #code()} is the server's error code when
 * the server gave one.
 */
public final class SendFailedException extends RuntimeException {

    private final OptionalInt code;

    public SendFailedException(String reason) {
        super(reason);
        this.code = OptionalInt.empty();
    }

    public SendFailedException(String reason, int code) {
        super(reason);
        this.code = OptionalInt.of(code);
    }

    /** The error code of the server's ack, when the server refused the message. */
    public OptionalInt code() {
        return code;
    }
}
