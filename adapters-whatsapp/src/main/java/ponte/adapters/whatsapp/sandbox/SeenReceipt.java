package ponte.adapters.whatsapp.sandbox;

import java.time.Instant;

/**
 * A receipt a virtual phone saw for one of its messages: the message id, the device JID that sent the receipt, its
 * type as on the wire ({@code ""} for a delivery receipt, {@code inactive} for a delivery from a client not marked
 * online, {@code read}, {@code sender}, ...), and the server timestamp.
 */
public record SeenReceipt(String id, String from, String type, Instant timestamp) {

    /** True for a delivery receipt, whether the receiving client was active or not. */
    public boolean delivery() {
        return type.isEmpty() || type.equals("inactive");
    }
}
