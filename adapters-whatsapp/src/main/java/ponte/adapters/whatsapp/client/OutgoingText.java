package ponte.adapters.whatsapp.client;

import java.util.List;
import java.util.Optional;
import ponte.adapters.whatsapp.proto.E2e;

/**
 * One message to send, 1:1 or to a group. Either a text (described here) or, with {@code prepared}, any e2e
 * {@code Message} the caller built (a location, reaction, poll, edit, …, with its {@code contextInfo} in place).
 *
 * <p>A text: the recipient ({@code to}: digits, a PN JID or an {@code @lid} JID), the text, the message id
 * the caller fixed before the first try, the message it replies to and the accounts it mentions (JIDs).
 *
 * <p>A plain text travels as {@code Message.conversation}; a reply or a text with mentions as an
 * {@code ExtendedTextMessage} whose {@code contextInfo} carries {@code stanzaId}, {@code participant} and the
 * quoted {@code conversation} text, and {@code mentionedJid} (field numbers from Baileys WAProto.proto
 * {@code ContextInfo}). A text with a link preview is built by the engine and comes {@code prepared}.
 */
public record OutgoingText(String to, String text, String messageId, Optional<Quote> quote, List<String> mentions,
                           Optional<E2e.Message> prepared) {

    /**
     * The message replied to: its id, its author's JID ({@code participant}) and its text when known (WhatsApp
     * shows the quote from it; without it only the reference travels).
     */
    public record Quote(String id, String participant, Optional<String> text) {
    }

    public OutgoingText {
        mentions = List.copyOf(mentions);
        java.util.Objects.requireNonNull(prepared, "prepared");
    }

    /** A text. */
    public OutgoingText(String to, String text, String messageId, Optional<Quote> quote, List<String> mentions) {
        this(to, text, messageId, quote, mentions, Optional.empty());
    }

    /** A message the caller built whole. */
    public static OutgoingText prepared(String to, String messageId, E2e.Message message) {
        return new OutgoingText(to, "", messageId, Optional.empty(), List.of(), Optional.of(message));
    }

    /** The same message with its content replaced (a poll given its secret). */
    OutgoingText withContent(E2e.Message message) {
        return new OutgoingText(to, text, messageId, quote, mentions, Optional.of(message));
    }

    /** Whether there is something to send: a prepared message, or a text that is not empty. */
    boolean hasContent() {
        return prepared.isPresent() || text != null && !text.isEmpty();
    }

    /** A text without reply or mentions. */
    public static OutgoingText plain(String to, String text, String messageId) {
        return new OutgoingText(to, text, messageId, Optional.empty(), List.of());
    }

    /** The e2e {@code Message} this text is. */
    E2e.Message content() {
        if (prepared.isPresent()) {
            return prepared.get();
        }
        if (quote.isEmpty() && mentions.isEmpty()) {
            return E2e.Message.newBuilder().setConversation(text).build();
        }
        E2e.ContextInfo.Builder context = E2e.ContextInfo.newBuilder().addAllMentionedJid(mentions);
        quote.ifPresent(quoted -> {
            context.setStanzaId(quoted.id()).setParticipant(quoted.participant());
            quoted.text().ifPresent(quotedText -> context.setQuotedMessage(
                    E2e.Message.newBuilder().setConversation(quotedText)));
        });
        return E2e.Message.newBuilder().setExtendedTextMessage(E2e.ExtendedTextMessage.newBuilder().setText(text)
                .setContextInfo(context)).build();
    }
}
