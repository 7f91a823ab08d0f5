package ponte.adapters.whatsapp.sandbox;

import java.time.Instant;

/**
 * A text a virtual phone received and decrypted: the message id, the sending user's PN JID and the exact device
 * JID it came from, the decrypted text, and the server timestamp ({@code t}, whole seconds). {@code sentByMe} marks
 * a copy of the account's own message sent from one of its companions (a DeviceSentMessage), whose chat is
 * {@code chat} (the peer's JID); for others {@code chat} is the sender. {@code body} is the content as the
 * gateway's own reader reads it (a location, a poll, an edit's new text …), empty when it shows nothing; {@code text}
 * is a text's text (empty for other types); {@code replyTo} the id of the message it quotes (its
 * {@code contextInfo.stanzaId}), empty when it quotes none.
 */
public record ReceivedMessage(String id, String from, String fromDevice, String chat, boolean sentByMe, String text,
        Instant timestamp, java.util.Optional<ponte.domain.message.Message.Body> body,
        java.util.Optional<String> replyTo) {

    /** One that quotes nothing. */
    public ReceivedMessage(String id, String from, String fromDevice, String chat, boolean sentByMe, String text,
                           Instant timestamp, java.util.Optional<ponte.domain.message.Message.Body> body) {
        this(id, from, fromDevice, chat, sentByMe, text, timestamp, body, java.util.Optional.empty());
    }

    /** A text. */
    public ReceivedMessage(String id, String from, String fromDevice, String chat, boolean sentByMe, String text,
                           Instant timestamp) {
        this(id, from, fromDevice, chat, sentByMe, text, timestamp,
                java.util.Optional.of(new ponte.domain.message.Message.Text(text)));
    }
}
