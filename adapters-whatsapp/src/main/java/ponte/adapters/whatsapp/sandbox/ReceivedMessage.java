package ponte.adapters.whatsapp.sandbox;

import java.time.Instant;

/**
 * A text a virtual phone received and decrypted: the message id, the sending user's PN JID and the exact device
 * JID it came from, the decrypted text, and the server timestamp ({@code t}, whole seconds). {@code sentByMe} marks
 * a copy of the account's own message sent from one of its companions (a DeviceSentMessage), whose chat is
 * {@code chat} (the peer's JID); for others {@code chat} is the sender.
 */
public record ReceivedMessage(String id, String from, String fromDevice, String chat, boolean sentByMe, String text,
        Instant timestamp) {
}
