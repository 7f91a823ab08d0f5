package ponte.application.port.in;

import java.util.List;
import ponte.application.model.SandboxGroup;
import ponte.application.model.SandboxInbox;
import ponte.application.model.SandboxInfo;
import ponte.application.model.SandboxLinkedDevice;
import ponte.application.model.SandboxPhone;
import ponte.application.model.SandboxSignal;

/**
 * The simulated WhatsApp network, for the server operator: where it listens, and virtual phones that link instances
 * as a person's phone would. Not found unless the gateway runs with a sandbox.
 */
public interface SandboxUseCase {
    SandboxInfo info();

    /** A new virtual phone (a WhatsApp account); conflict when the number already has one. */
    SandboxPhone createPhone(String phoneNumber, String pushName);

    /** The phone scans an instance's QR text; returns once the instance is linked. */
    SandboxLinkedDevice scan(String phoneNumber, String qr);

    /** The phone's user types an instance's pairing code; returns once the instance is linked. */
    SandboxLinkedDevice linkCode(String phoneNumber, String code);

    /** The devices linked to the phone now, as its "Linked devices" screen lists them. */
    java.util.List<SandboxLinkedDevice> devices(String phoneNumber);

    /**
     * The phone's user sends a message ({@code type} null or {@code text}: the only type the sandbox sends today)
     * to {@code to}: a number (digits or +E.164) or a PN JID. Returns WhatsApp's message id. Validation error on
     * {@code type}, {@code to} (malformed, or not a sandbox account: "is not on WhatsApp") or {@code text}; not
     * found for no such phone.
     */
    String sendMessage(String phoneNumber, String to, String type, String text);

    /**
     * The phone's user sends a message of any non-media type ({@code type}: text, location, contact, reaction, poll,
     * edit, revoke, poll_vote) with the fields of the instance API's send of that type; edits and revokes name the
     * phone's own {@code message_id}, a vote the poll's {@code message_id} and the chosen {@code options}. Returns
     * WhatsApp's message id. Invalid fields are a validation error naming each.
     */
    String sendMessage(String phoneNumber, PhoneSend send);

    /** The fields of a phone's send, as the API names them; each type reads its own. */
    record PhoneSend(String to, String type, String text, Double latitude, Double longitude, String name,
                     String address, List<ponte.domain.message.OutgoingContent.CardInput> contacts, String messageId,
                     String emoji, String question, List<String> options, Boolean multiple, String replyTo) {}

    /** What the phone received, decrypted, and the receipts it saw for its own messages. */
    SandboxInbox inbox(String phoneNumber);

    /**
     * Seeds the phone's history with {@code count} texts (1-100,000) over {@code chats} chats (1-1,000, at most
     * {@code count}; default 1): the phone sends its history (these and the messages it exchanged) to every device
     * linked afterwards. Returns how many messages the history holds. Validation on {@code count} or {@code chats}.
     */
    int seedHistory(String phoneNumber, Integer count, Integer chats);

    /**
     * Expires files on the sandbox's media host: the one at {@code directPath} and every file {@code phoneNumber}
     * uploaded (at least one of the two). Returns how many expired. Validation when neither is given.
     */
    int expireMedia(String directPath, String phoneNumber);

    /** A file a sandbox phone sends 1:1: {@code type} image, video, audio, ptt, document or sticker. */
    record PhoneMediaSend(String to, String type, String base64, String mimeType, String caption, String fileName,
                          boolean expired) {}

    /**
     * The phone's user sends a file to another sandbox phone or to an instance's account (1:1), as WhatsApp's
     * clients do: uploaded to the sandbox's media host, then sent as a media message. Returns its message id.
     * 400 ({@code ValidationException}) on a bad {@code type}, {@code to}, {@code base64} or an empty file.
     */
    String sendMedia(String phoneNumber, PhoneMediaSend send);

    /**
     * The file of a media message the phone received, downloaded and checked as the phone does (a media-retry
     * request to its sender when the host expired it). {@code NotFoundException} when the phone received no file in
     * that message.
     */
    byte[] receivedMedia(String phoneNumber, String messageId);

    /** The phone's user reads these messages of the chat with {@code chat} (number or PN JID): read receipts go out. */
    void markRead(String phoneNumber, String chat, List<String> messageIds);

    /**
     * The phone's user creates a group with {@code subject} and {@code participants} (numbers or PN JIDs); it is
     * the group's admin. Validation on {@code subject} (blank) or {@code participants} (empty, malformed, or not a
     * sandbox account); not found for no such phone.
     */
    SandboxGroup createGroup(String phoneNumber, String subject, List<String> participants);

    /** The groups the phone is a member of. */
    List<SandboxGroup> groups(String phoneNumber);

    /**
     * The phone's user changes a group (null fields unchanged; an empty description deletes it). Validation when
     * nothing is given or {@code groupJid} is not a group JID; not found for no such phone or group; conflict when
     * WhatsApp refuses (not a member, not an admin where one is needed).
     */
    SandboxGroup updateGroup(String phoneNumber, String groupJid, String subject, String description,
            Boolean announce, Boolean locked);

    /**
     * The phone's user, an admin, adds, removes, promotes or demotes members (numbers or PN JIDs); the server's
     * status per member, in order (200 applied; 404 not an account or not a member; 408 left moments ago; 409
     * already in).
     */
    List<Integer> changeGroupParticipants(String phoneNumber, String groupJid, String action,
            List<String> participants);

    /** The group's invite code, as the phone's user (an admin) sees it. */
    String groupInviteCode(String phoneNumber, String groupJid);

    /** The phone's user joins the group of an invite code (or link); not found for an unknown code. */
    SandboxGroup joinGroup(String phoneNumber, String code);

    /**
     * The phone's privacy setting "who can add me to groups" ({@code groupadd}): {@code all} or {@code none} (an
     * admin's add is then answered 403 for the phone). Validation on {@code groupadd} for another value.
     */
    void setGroupAddPrivacy(String phoneNumber, String groupadd);

    /** The phone's user leaves the group. */
    void leaveGroup(String phoneNumber, String groupJid);

    /**
     * The phone's user saves a contact (number, +E.164 or PN JID) in the address book under {@code name}; its
     * companions hear of it through app-state sync. {@code ValidationException} on {@code jid} or {@code name}.
     */
    void saveContact(String phoneNumber, String contact, String name);

    /** Deletes a contact from the address book; {@code NotFoundException} when it was not saved. */
    void deleteContact(String phoneNumber, String contact);

    /** The phone's address book, in JID order. */
    List<ponte.application.model.SandboxAppState.Contact> contacts(String phoneNumber);

    /**
     * Changes how the phone set a chat (a number, PN JID or group JID) up; at least one field.
     * {@code ValidationException} on {@code chat}, or on the body when it changes nothing.
     */
    void changeChat(String phoneNumber, String chat, ponte.application.model.SandboxAppState.ChatFlagsChange change);

    /** Creates or edits a label: id 1-32 of A-Z a-z 0-9 _ -, a name, a colour index 0-19. */
    void editLabel(String phoneNumber, String id, String name, Integer color);

    /** Deletes a label; {@code NotFoundException} when the phone has none with this id. */
    void deleteLabel(String phoneNumber, String id);

    /** The phone's labels. */
    List<ponte.application.model.SandboxAppState.Label> labels(String phoneNumber);

    /**
     * Puts label {@code id} on a chat, or on one message of it ({@code messageId}), or takes it off; the label must
     * exist ({@code NotFoundException}).
     */
    void labelChat(String phoneNumber, String id, String chat, String messageId, boolean labeled);

    /** The phone's user calls {@code to} (number or PN JID); returns the call id. */
    String call(String phoneNumber, String to);

    /**
     * The phone's user posts a text status update seen by {@code to} (numbers or PN JIDs); returns its id.
     * Validation on {@code to} (empty, or not sandbox accounts) and {@code text}; not found for no such phone.
     */
    String postStatus(String phoneNumber, List<String> to, String text);

    /**
     * The phone's user acts on a call it is a party of: {@code accept}, {@code reject} or {@code terminate}.
     * Validation on {@code action}; not found for no such phone or call.
     */
    void callAction(String phoneNumber, String callId, String action);

    /** The call signals the phone was sent (offers, accepts, rejects, terminations), oldest first. */
    List<SandboxSignal> calls(String phoneNumber);

    /**
     * The phone's user sets its presence ({@code available}, {@code unavailable}: no {@code to}) or a chat state
     * toward {@code to} ({@code composing}, {@code recording}, {@code paused}). Validation on {@code state} and
     * {@code to}; not found for no such phone.
     */
    void presence(String phoneNumber, String to, String state);

    /**
     * What the phone sees of presence: the chat states it was sent, oldest first, and, when {@code of} (a number
     * or PN JID) is given, that account's presence as the network holds it (empty when never announced).
     */
    SandboxPresence presenceSeen(String phoneNumber, String of);

    /** The chat states a phone was sent, and the presence of the account it asked about ({@code null} if none). */
    record SandboxPresence(List<SandboxSignal> chatStates, String of,
                           java.util.Optional<Boolean> available) {}
}
