package ponte.application.port.out;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import ponte.domain.message.Jid;
import ponte.domain.message.Message;
import ponte.domain.message.MessageId;
import ponte.domain.message.OutgoingStatus;

/**
 * Every message an instance sent or received, keyed by (instance, message id): WhatsApp's ids are chosen at random
 * by the sending client, so one id is one message, and keying by it alone also keeps a message the server addresses
 * once by phone number and once by LID from being stored (and announced) twice. Our own messages carry their
 * {@link OutgoingStatus} (status, error, per-member progress in groups, history). Calls join the caller's transaction.
 */
public interface MessageStore {

    /**
     * Stores a message unless the instance already has one with its id; returns whether it was stored.
     *
     * @param outgoing the status machine of a message of ours; empty for received messages
     */
    boolean insert(UUID tenantId, UUID instanceId, Message message, Optional<OutgoingStatus> outgoing,
                   Instant storedAt);

    /** A stored message with its current status (and, for ours, its status machine). */
    Optional<Stored> find(UUID instanceId, MessageId id);

    /** Like {@link #find} for a message of ours, locking its row until the transaction ends. */
    Optional<Stored> lockOwn(UUID instanceId, MessageId id);

    /** Stores where a message of ours stands now, and the chat it goes to (a number checked at send time). */
    void updateOutgoing(UUID instanceId, OutgoingStatus status);

    /**
     * Marks every unread received message of {@code chat} read at {@code at}, with its read receipt still to send;
     * returns them (oldest first).
     */
    List<Message> markChatRead(UUID instanceId, Jid chat, Instant at);

    /** Received messages marked read whose read receipts have not gone out yet, oldest first, at most {@code max}. */
    List<Message> pendingReadReceipts(UUID instanceId, int max);

    /** The read receipts of these messages went out. */
    void readReceiptsSent(UUID instanceId, List<MessageId> ids);

    /** The instances with read receipts still to send. */
    List<UUID> instancesWithPendingReceipts();

    /** A message as stored: the message object (its status the current one) and, for ours, the status machine. */
    record Stored(UUID tenantId, Message message, Optional<OutgoingStatus> outgoing) {}
}
