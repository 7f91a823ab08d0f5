package ponte.application.port.out;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import ponte.application.model.SandboxGroup;
import ponte.application.model.SandboxInfo;
import ponte.application.model.SandboxSignal;

/**
 * The simulated WhatsApp network, when the gateway runs with one: where it listens, which root it signs with, and
 * its virtual phones, which link instances as a person's phone would.
 */
public interface SandboxPort {

    /** Empty when the gateway talks to the real WhatsApp network. */
    Optional<SandboxInfo> info();

    /** A new virtual phone; {@code ConflictException} when the number already has one. */
    SandboxPhone createPhone(String phoneNumber, String pushName);

    List<SandboxPhone> phones();

    /**
     * The phone scans an instance's QR text; returns once the instance is linked. {@code NotFoundException} when
     * the phone does not exist or no connected instance shows this QR now.
     */
    SandboxLinkedDevice scan(String phoneNumber, String qr);

    /**
     * The phone's user types a pairing code an instance was given; returns once linked. {@code NotFoundException}
     * when no instance asked to link this number, {@code ConflictException} when the code is wrong.
     */
    SandboxLinkedDevice linkCode(String phoneNumber, String code);

    /** The phone's linked devices. */
    List<SandboxLinkedDevice> devices(String phoneNumber);

    /** The phone removes a linked device; the instance is logged out. False when it was not linked. */
    boolean unlink(String phoneNumber, int device);

    /**
     * The phone's user sends a text to another sandbox account ({@code to}: its international number, digits
     * only) or to a group it is in ({@code to}: the group JID); returns WhatsApp's message id. {@code NotFoundException} when the phone does not exist,
     * {@code ValidationException} on {@code to} when the recipient is no sandbox account, {@code ConflictException}
     * when no device of the recipient can be encrypted for.
     */
    String sendText(String phoneNumber, String to, String text);

    /**
     * The phone's user sends any non-media message 1:1 to another sandbox account: a text, location, contact cards,
     * reaction, poll, edit or revoke, replying to {@code replyTo} when given; returns WhatsApp's message id. Failures
     * as {@link #sendText}.
     */
    String send(String phoneNumber, String to, ponte.domain.message.OutgoingContent content,
                java.util.Optional<String> replyTo);

    /**
     * The phone's user votes on a poll it received from {@code to}; returns the vote's message id.
     * {@code ValidationException} for a poll the phone never received or an option it does not have.
     */
    String vote(String phoneNumber, String to, String pollId, List<String> options);

    /** The messages the phone received and decrypted, oldest first; {@code NotFoundException} for no such phone. */
    List<SandboxMessage> received(String phoneNumber);

    /**
     * Adds {@code count} made-up texts over {@code chats} chats (made-up people with push names and LIDs) to the
     * phone's history, which it sends every companion linked afterwards as history sync; returns how many messages
     * the history holds. {@code NotFoundException} for no such phone.
     */
    int seedHistory(String phoneNumber, int count, int chats);

    /**
     * Expires files on the sandbox's media host, as WhatsApp's hosts drop old media: the one at {@code directPath},
     * and every file {@code phoneNumber}'s account (phone or companions) uploaded. Downloads then get 410 and clients
     * must ask the sender for a re-upload (media retry). Returns how many files expired; {@code NotFoundException}
     * for no such phone.
     */
    int expireMedia(java.util.Optional<String> directPath, java.util.Optional<String> phoneNumber);

    /**
     * The phone's user sends a file 1:1 ({@code type}: image, video, audio, ptt, document or sticker): encrypted and
     * uploaded to the sandbox's media host, then sent as its media message; the phone keeps the file to answer
     * media-retry requests; {@code expired}: the host drops the file before the message goes out. Returns the
     * message id; {@code NotFoundException} for no such phone,
     * {@code ValidationException} on {@code to} for a recipient that is not a sandbox phone.
     */
    String sendMedia(String phoneNumber, String to, String type, byte[] file, String mimeType,
                     java.util.Optional<String> caption, java.util.Optional<String> fileName, boolean expired);

    /**
     * The file of a media message the phone received, downloaded from the media host and checked (asked again from
     * its sender by a media-retry request when the host no longer has it); empty when the phone received no file in
     * that message. {@code NotFoundException} for no such phone; {@code UnavailableException} when the file cannot
     * be had.
     */
    java.util.Optional<byte[]> receivedMedia(String phoneNumber, String messageId);

    /** The receipts the phone saw for its own messages, oldest first; {@code NotFoundException} for no such phone. */
    List<SandboxReceipt> receipts(String phoneNumber);

    /**
     * The phone's user reads these messages of the 1:1 chat with {@code chat} (a number, digits only): a read
     * receipt goes to the sender. {@code ValidationException} on {@code chat} when it is no sandbox account.
     */
    void markRead(String phoneNumber, String chat, List<String> messageIds);

    /**
     * The phone's user calls {@code to} (a number, digits only): every device of the callee rings. Returns the
     * call id. {@code ValidationException} on {@code to} when the callee is no sandbox account.
     */
    String call(String phoneNumber, String to, boolean video);

    /**
     * The phone's user posts a text status update (a story) seen by {@code audience} (numbers, digits only): their
     * devices get it from {@code status@broadcast}. Returns its id. {@code NotFoundException} for no such phone,
     * {@code ValidationException} on {@code to} when a member is no sandbox account.
     */
    String postStatus(String phoneNumber, List<String> audience, String text);

    /**
     * The phone's user acts on a call it is a party of: {@code accept}, {@code reject} (the callee's phone) or
     * {@code terminate} (either side hangs up). {@code NotFoundException} when the phone does not exist or the
     * network placed no such call with it; {@code ValidationException} on {@code action} for another action.
     */
    void callAction(String phoneNumber, String callId, String action);

    /** The call signals and chat states the phone was sent, oldest first; {@code NotFoundException} for no phone. */
    List<SandboxSignal> signals(String phoneNumber);

    /** The phone's user comes online ({@code available}) or leaves; {@code NotFoundException} for no phone. */
    void announcePresence(String phoneNumber, boolean available);

    /**
     * The phone's user types ({@code composing}), records ({@code recording}) or stops ({@code paused}) in the chat
     * with {@code to} (a number, digits only). {@code ValidationException} on {@code to} or {@code state}.
     */
    void chatState(String phoneNumber, String to, String state);

    /**
     * The presence the network holds for an account ({@code phoneNumber}: digits only), an instance's included:
     * true available, false unavailable, empty when it never announced one. {@code ValidationException} on
     * {@code of} when it is no sandbox account.
     */
    Optional<Boolean> presenceOf(String phoneNumber);

    /**
     * The phone's user creates a group with these members (numbers, digits only) and is its admin; returns the
     * group. {@code NotFoundException} when the phone does not exist, {@code ValidationException} on
     * {@code participants} when a member is no sandbox account.
     */
    SandboxGroup createGroup(String phoneNumber, String subject, List<String> participants);

    /** The groups the phone is a member of; {@code NotFoundException} for no such phone. */
    List<SandboxGroup> groups(String phoneNumber);

    /**
     * The phone's user changes a group as its phone would ask WhatsApp's server: the given fields (null: unchanged;
     * an empty description deletes it), subject first; returns the group. {@code NotFoundException} for no such phone
     * or group, {@code ValidationException} on {@code subject} for one WhatsApp refuses (blank, over 100
     * characters), {@code ConflictException} when the server refuses the change (not a member; not an admin where
     * one is needed).
     */
    SandboxGroup updateGroup(String phoneNumber, String groupJid, String subject, String description,
            Boolean announce, Boolean locked);

    /**
     * The phone's user, an admin, adds, removes, promotes or demotes ({@code action}) these members (numbers, digits
     * only); returns the server's code per member, in order (200 applied, 404, 408, 409). Errors as
     * {@link #updateGroup}; {@code ValidationException} on {@code participants} for a number that is no sandbox
     * account.
     */
    List<Integer> changeGroupParticipants(String phoneNumber, String groupJid, String action,
            List<String> participants);

    /** The group's invite code as the phone's user, an admin, sees it; errors as {@link #updateGroup}. */
    String groupInviteCode(String phoneNumber, String groupJid);

    /** The phone's user joins the group of an invite code; {@code NotFoundException} for an unknown code. */
    SandboxGroup joinGroup(String phoneNumber, String code);

    /**
     * The phone's privacy setting "who can add me to groups" ({@code groupadd}): everyone ({@code true}) or nobody,
     * when an admin's add is answered 403 for the phone. {@code NotFoundException} for no such phone.
     */
    void allowGroupAdds(String phoneNumber, boolean everyone);

    /** The phone's user leaves the group; errors as {@link #updateGroup}. */
    void leaveGroup(String phoneNumber, String groupJid);

    /**
     * The phone's user saves {@code jid} (a PN JID) in the address book under {@code name}, or renames it; its
     * companions hear of it through app-state sync. {@code NotFoundException} for no such phone.
     */
    void saveContact(String phoneNumber, String jid, String name);

    /** Deletes a contact from the address book; false when it was not saved. */
    boolean deleteContact(String phoneNumber, String jid);

    /** The phone's address book. */
    List<ponte.application.model.SandboxAppState.Contact> contacts(String phoneNumber);

    /** Changes how the phone set a chat (a user or group JID) up: archived, pinned, muted. */
    void changeChat(String phoneNumber, String chat, ponte.application.model.SandboxAppState.ChatFlagsChange change);

    /** Creates or edits a label. */
    void editLabel(String phoneNumber, String id, String name, int color);

    /** Deletes a label; false when the phone has no such label. */
    boolean deleteLabel(String phoneNumber, String id);

    /** The phone's labels. */
    List<ponte.application.model.SandboxAppState.Label> labels(String phoneNumber);

    /** Puts a label on a chat, or on one message of it, or takes it off ({@code labeled} false). */
    void labelChat(String phoneNumber, String id, String chat, java.util.Optional<String> messageId, boolean labeled);

    /**
     * A text a phone received, decrypted. {@code chatJid} is the peer's PN JID; {@code fromMe} marks a copy of the
     * account's own message sent from one of its companions. The sender is named by PN JID, LID and push name
     * (both may be null when unknown); {@code timestamp} is the server's, whole seconds; {@code replyTo} the id of
     * the message it quotes.
     */
    record SandboxMessage(String id, String chatJid, boolean fromMe, String senderJid, String senderLid,
            String senderPushName, Instant timestamp, String text,
            java.util.Optional<ponte.domain.message.Message.Body> body, java.util.Optional<String> replyTo) {
        /** One that quotes nothing. */
        public SandboxMessage(String id, String chatJid, boolean fromMe, String senderJid, String senderLid,
                              String senderPushName, Instant timestamp, String text,
                              java.util.Optional<ponte.domain.message.Message.Body> body) {
            this(id, chatJid, fromMe, senderJid, senderLid, senderPushName, timestamp, text, body,
                    java.util.Optional.empty());
        }

        /** A text. */
        public SandboxMessage(String id, String chatJid, boolean fromMe, String senderJid, String senderLid,
                              String senderPushName, Instant timestamp, String text) {
            this(id, chatJid, fromMe, senderJid, senderLid, senderPushName, timestamp, text,
                    java.util.Optional.of(new ponte.domain.message.Message.Text(text)));
        }
    }

    /**
     * A receipt a phone saw for one of its messages: the message id, the device JID that sent it, its kind
     * ({@code delivered}, {@code read}, {@code played}, or the wire's receipt type for any other), and when.
     */
    record SandboxReceipt(String messageId, String from, String type, Instant at) {
    }

    /** A simulated account: its number, the name it shows, and its LID user. */
    record SandboxPhone(String phoneNumber, String pushName, String lid) {
    }

    /** One entry of a phone's device list. */
    record SandboxLinkedDevice(String phoneNumber, int device, String jid, String lid, String platform,
            Instant linkedAt) {
    }
}
