package ponte.domain.message;

import java.util.Locale;

/**
 * Where a message stands, in the order a sent message moves through: {@code queued} (accepted, in the outgoing
 * queue), {@code sent} (the server acked it), {@code delivered}, {@code read}, {@code played} (receipts from the
 * recipient; {@code played} only for voice notes and view-once media) — or {@code failed}, which ends it.
 * Reaching a status implies every one before it: a read message was delivered.
 *
 * <p>Receipt types are WhatsApp's: no type = delivered, {@code read}, {@code played} (protocol.md §1.15).
 * A received message shows {@code delivered} (it reached this device) and {@code read} once marked read.
 */
public enum MessageStatus {
    QUEUED, SENT, DELIVERED, READ, PLAYED, FAILED;

    /** The name the API uses: {@code queued}, {@code sent}, … */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for the statuses a receipt from the recipient reports. */
    public boolean isReceipt() {
        return this == DELIVERED || this == READ || this == PLAYED;
    }

    /** True when this is further along the way than {@code other}; {@code failed} is further than nothing. */
    boolean isAfter(MessageStatus other) {
        return this != FAILED && other != FAILED && ordinal() > other.ordinal();
    }
}
