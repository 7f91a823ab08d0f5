package ponte.application.port.in;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import ponte.application.model.ChatRead;
import ponte.application.model.ChatSummary;
import ponte.application.model.Contact;
import ponte.application.model.ContactCheck;
import ponte.application.model.Page;
import ponte.application.model.PageRequest;
import ponte.application.model.QueuedMessage;
import ponte.application.model.StoredMessage;
import ponte.domain.auth.Principal;
import ponte.domain.message.OutgoingMessage;

/**
 * Messages through the API (API.md "Messages"): send, look one up, mark a chat read, check numbers. Every method
 * resolves the instance as the other instance routes do (another tenant's instance is a {@code NotFoundException}).
 */
public interface MessagesUseCase {

    /**
     * Resolves the recipient with the server, fixes the message id and queues the message durably; returns at once
     * with status {@code queued}. With {@code waitForAck} it waits at most that long for the server's ack and
     * returns the message {@code sent} (or {@code failed}, with its reason); still queued at the deadline is
     * returned as is. An idempotency key seen within 24 h returns the earlier message and queues nothing.
     *
     * @throws ponte.domain.validation.ValidationException a number not on WhatsApp, an unknown {@code reply_to}, a group
     *                                                 the instance is not in
     * @throws ponte.application.error.NotConnectedException the instance never paired
     */
    QueuedMessage send(Principal caller, String idOrName, OutgoingMessage message, Optional<Duration> waitForAck);

    /**
     * Edits a message this instance's account sent ({@code PATCH /v1/instances/{id}/messages/{message_id}}): its new
     * text (a media message's new caption) goes out as a {@code MESSAGE_EDIT} through the outgoing queue, and the
     * stored message shows it with {@code edited_at} once queued.
     *
     * @throws ponte.application.error.NotFoundException an id this instance never stored
     * @throws ponte.domain.validation.ValidationException not ours, older than {@link #EDIT_WINDOW}, revoked, not a
     *                                                     text or captionable media, or a bad text
     */
    QueuedMessage edit(Principal caller, String idOrName, String messageId, String text);

    /**
     * Revokes (deletes for everyone) a message ({@code DELETE /v1/instances/{id}/messages/{message_id}}): a
     * {@code REVOKE} through the outgoing queue; the stored message shows {@code revoked: true}. Our own messages;
     * in a group, an admin may revoke others' (WhatsApp decides).
     *
     * @throws ponte.application.error.NotFoundException an id this instance never stored
     */
    QueuedMessage revoke(Principal caller, String idOrName, String messageId);

    /** How long after sending a message may be edited (WhatsApp's own limit). */
    Duration EDIT_WINDOW = Duration.ofMinutes(15);

    /** One stored message (sent or received) with its status history. */
    StoredMessage get(Principal caller, String idOrName, String messageId);

    /**
     * Marks every unread received message of {@code chatJid} read: read receipts go to their senders (now when the
     * instance is online, otherwise when it next is).
     */
    ChatRead markChatRead(Principal caller, String idOrName, String chatJid);

    /**
     * The instance's chats, most recently active first, each with its last message and unread count (see
     * {@link ponte.application.port.out.MessageStore#chats} for how a person's PN and LID chats are one).
     */
    Page<ChatSummary> chats(Principal caller, String idOrName, PageRequest page);

    /**
     * The messages of one chat, newest first; {@code page.cursor()} is the {@code before} message id (the previous
     * page's {@code next_cursor}). A chat with no stored messages is an empty page, not an error.
     *
     * @throws ponte.domain.validation.ValidationException {@code jid} is not a chat JID, {@code before} is not a
     *                                                 message of this instance
     */
    Page<StoredMessage> chatMessages(Principal caller, String idOrName, String chatJid, PageRequest page);

    /** The people who wrote to the instance (see {@link ponte.application.port.out.MessageStore#contacts}). */
    Page<Contact> contacts(Principal caller, String idOrName, PageRequest page);

    /**
     * One person who wrote to the instance, by phone-number JID, LID or phone number.
     *
     * @throws ponte.application.error.NotFoundException no message from them was stored
     * @throws ponte.domain.validation.ValidationException {@code jid} names no person
     */
    Contact contact(Principal caller, String idOrName, String jid);

    /**
     * Asks the server which of {@code numbers} are on WhatsApp (1..50 numbers, each digits or {@code +E.164}); one
     * answer per input, in order.
     *
     * @throws ponte.application.error.NotConnectedException the instance is not online
     */
    List<ContactCheck> checkContacts(Principal caller, String idOrName, List<String> numbers);
}
