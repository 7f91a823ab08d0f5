package ponte.application.port.out;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import ponte.application.model.ChatSummary;
import ponte.application.model.Contact;
import ponte.application.model.Page;
import ponte.application.model.PageRequest;
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
    default boolean insert(UUID tenantId, UUID instanceId, Message message, Optional<OutgoingStatus> outgoing,
                           Instant storedAt) {
        return insert(tenantId, instanceId, message, outgoing, storedAt, changesAnother(message.body()));
    }

    /**
     * As {@link #insert(UUID, UUID, Message, Optional, Instant)}; {@code change}: the message is a change to another
     * message (an edit, revoke, reaction or poll vote), kept for its status and events but not listed in its chat's
     * history ({@link #chatMessages}).
     */
    boolean insert(UUID tenantId, UUID instanceId, Message message, Optional<OutgoingStatus> outgoing,
                   Instant storedAt, boolean change);

    /**
     * Whether a message with this body is a change to another message whatever else is known: a reaction or a poll
     * vote. (Our own edits and revokes are stored with {@code change} set by their sender.)
     */
    static boolean changesAnother(Message.Body body) {
        return body instanceof Message.Reaction || body instanceof Message.PollVote;
    }

    /**
     * Stores a batch of the phone's history (messages sent before the instance was linked), skipping ids already
     * stored; received ones are stored as read (no unread count, no read receipt). Returns the messages stored, in
     * the order given. The chats they belong to are brought up to date in the same transaction.
     */
    List<Message> insertHistory(UUID tenantId, UUID instanceId, List<Message> messages, Instant storedAt);

    /**
     * Keeps people the phone's history named (a JID, the other of PN/LID when known, the push name) as contacts of
     * the instance, newer facts replacing older; {@link #contacts} lists them beside the people who wrote.
     */
    void keepContacts(UUID tenantId, UUID instanceId, List<ponte.domain.message.Sender> people, Instant at);

    /** A stored message with its current status (and, for ours, its status machine). */
    Optional<Stored> find(UUID instanceId, MessageId id);

    /**
     * Whether the stored message {@code id} is a change to another message (stored with {@code change}: a reaction,
     * poll vote, or our edit or revoke), which can be neither replied to nor reacted to; false when unknown.
     */
    boolean isChange(UUID instanceId, MessageId id);

    /** Like {@link #find} for a message of ours, locking its row until the transaction ends. */
    Optional<Stored> lockOwn(UUID instanceId, MessageId id);

    /**
     * Like {@link #find}, locking the message's row until the transaction ends: a change (edit, revoke) reads the
     * message, checks and writes it with no other change in between.
     */
    Optional<Stored> lock(UUID instanceId, MessageId id);

    /**
     * Replaces the content of a stored message (an edit's new text or caption, a revoke's flag, a stored file's URL):
     * its message object and type; its status, times and status machine stay. Returns whether a row was updated.
     */
    boolean replace(UUID instanceId, Message message);

    /** Stores where a message of ours stands now, and the chat it goes to (a number checked at send time). */
    void updateOutgoing(UUID instanceId, OutgoingStatus status);

    /**
     * Marks every unread received message of {@code chat} read at {@code at}, with its read receipt still to send;
     * returns them (oldest first). A person's chat named by their phone-number JID or by their LID is the same chat
     * wherever a received message told the store both (see {@link #chats}).
     */
    List<Message> markChatRead(UUID instanceId, Jid chat, Instant at);

    /**
     * The instance's chats, the most recently active first: one per chat JID, except that a person's LID chat joins
     * their phone-number chat once any received message carried both (sender JID and LID). The page cursor is
     * opaque; an unknown one is a {@code ValidationException} on {@code cursor}.
     */
    Page<ChatSummary> chats(UUID instanceId, PageRequest page);

    /**
     * The messages of one chat (under either of a person's names, as {@link #markChatRead}), newest first (by the
     * sender's timestamp, whole seconds for received messages; ties in the order they were stored). The
     * cursor is the id of the oldest message of the previous page (its {@code next_cursor}): the page holds the
     * messages sent before it. An id that is not a message of this instance is a {@code ValidationException} on
     * {@code before}. A chat without messages is an empty page. Changes to other messages (edits, revokes,
     * reactions, poll votes) are not listed: they show in the message they change.
     */
    Page<Stored> chatMessages(UUID instanceId, Jid chat, PageRequest page);

    /**
     * The people who wrote to the instance, and those the phone's address book holds (app-state sync,
     * {@link ChatStateStore}), in JID order: one per person, their phone-number JID and LID paired wherever a
     * received message carried both, with the push name of their latest message and the name saved for them under
     * either JID. The cursor is opaque.
     */
    Page<Contact> contacts(UUID instanceId, PageRequest page);

    /** One person of {@link #contacts}, found by their phone-number JID or their LID. */
    Optional<Contact> contact(UUID instanceId, Jid jid);

    /**
     * Drops the bodies of messages stored before {@code storedBefore} (their text; ids, chat, sender, type, times
     * and status stay); returns how many were cleared. API.md: "{@code PONTE_MESSAGE_RETENTION_DAYS} … {@code 0}
     * keeps metadata only".
     */
    int dropBodiesStoredBefore(Instant storedBefore);

    /** Received messages marked read whose read receipts have not gone out yet, oldest first, at most {@code max}. */
    List<Message> pendingReadReceipts(UUID instanceId, int max);

    /** The read receipts of these messages went out. */
    void readReceiptsSent(UUID instanceId, List<MessageId> ids);

    /** The instances with read receipts still to send. */
    List<UUID> instancesWithPendingReceipts();

    /** A message as stored: the message object (its status the current one) and, for ours, the status machine. */
    record Stored(UUID tenantId, Message message, Optional<OutgoingStatus> outgoing) {}
}
