package ponte.adapters.whatsapp.client;

import java.util.List;
import java.util.Optional;
import ponte.adapters.whatsapp.proto.E2e;

/**
 * One 1:1 text to send: the recipient ({@code to}: digits, a PN JID or an {@code @lid} JID), the text, the message id
 * the caller fixed before the first try, the message it replies to and the accounts it mentions (JIDs).
 *
 * <p>A plain text travels as {@code Message.conversation}; a reply or a text with mentions as an
 * {@code ExtendedTextMessage} whose {@code contextInfo} carries {@code stanzaId}, {@code participant} and the
 * quoted {@code conversation} text, and {@code mentionedJid} (field numbers from Baileys WAProto.proto
 * {@code ContextInfo}). No link preview is ever attached: Ponte does not fetch pages to build one.
 */
public record OutgoingText(String to, String text, String messageId, Optional<Quote> quote, List<String> mentions) {

    /**
     * The message replied to: its id, its author's JID ({@code participant}) and its text when known (WhatsApp
     * shows the quote from it; without it only the reference travels).
     */
    public record Quote(String id, String participant, Optional<String> text) {
    }

    public OutgoingText {
        mentions = List.copyOf(mentions);
    }

    /** A text without reply or mentions. */
    public static OutgoingText plain(String to, String text, String messageId) {
        return new OutgoingText(to, text, messageId, Optional.empty(), List.of());
    }

    /** The e2e {@code Message} this text is. */
    E2e.Message content() {
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
