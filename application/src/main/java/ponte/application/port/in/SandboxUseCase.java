package ponte.application.port.in;

import java.util.List;
import ponte.application.model.SandboxGroup;
import ponte.application.model.SandboxInbox;
import ponte.application.model.SandboxInfo;
import ponte.application.model.SandboxLinkedDevice;
import ponte.application.model.SandboxPhone;

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

    /** What the phone received, decrypted, and the receipts it saw for its own messages. */
    SandboxInbox inbox(String phoneNumber);

    /**
     * Seeds the phone's history with {@code count} texts (1-100,000) over {@code chats} chats (1-1,000, at most
     * {@code count}; default 1): the phone sends its history (these and the messages it exchanged) to every device
     * linked afterwards. Returns how many messages the history holds. Validation on {@code count} or {@code chats}.
     */
    int seedHistory(String phoneNumber, Integer count, Integer chats);

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

    /** The phone's user calls {@code to} (number or PN JID); returns the call id. */
    String call(String phoneNumber, String to);
}
