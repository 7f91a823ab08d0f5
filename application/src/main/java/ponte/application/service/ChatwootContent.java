package ponte.application.service;

import java.util.Optional;
import java.util.stream.Collectors;
import ponte.domain.message.Message;

/** How a WhatsApp message reads as the content of a Chatwoot message (Chatwoot renders Markdown). */
final class ChatwootContent {
    private ChatwootContent() {}

    /**
     * The text for event {@code kind} of {@code message}; {@code groupSender} names who wrote in a group, above the
     * text. A media message is its caption (the file goes as an attachment).
     */
    static String render(String kind, Message message, Optional<String> groupSender) {
        var body = switch (kind) {
            case "revoked" -> "🗑️ _This message was deleted_";
            case "edited" -> "✏️ _Edited:_ " + text(message.body());
            default -> text(message.body());
        };
        return groupSender.map(name -> "**" + name + ":**" + (body.isEmpty() ? "" : "\n" + body)).orElse(body);
    }

    private static String text(Message.Body body) {
        return switch (body) {
            case Message.Text text -> text.text();
            case Message.Media media -> media.caption().orElse("");
            case Message.Location l -> "📍 " + l.name().map(n -> n + " ").orElse("")
                    + l.address().map(a -> a + " ").orElse("") + "https://maps.google.com/?q=" + l.latitude() + ","
                    + l.longitude();
            case Message.Contacts c -> c.contacts().stream().map(card -> "👤 " + card.name() + " "
                    + String.join(", ", card.phones())).collect(Collectors.joining("\n"));
            case Message.Reaction r -> r.emoji().isEmpty() ? "_Reaction removed_" : "_Reacted_ " + r.emoji();
            case Message.Poll p -> "📊 " + p.question() + p.options().stream().map(o -> "\n- " + o)
                    .collect(Collectors.joining());
            case Message.PollVote v -> "🗳️ _Voted:_ " + String.join(", ", v.options());
            case Message.Revoked ignored -> "🗑️ _This message was deleted_";
            case Message.Undecryptable u -> "_[a " + u.type() + " message WhatsApp could not decrypt]_";
            default -> "[" + body.type() + "]";
        };
    }

    /** A file extension for a MIME type the file carries no name for. */
    static String extension(String mimeType) {
        var type = mimeType == null ? "" : mimeType.toLowerCase(java.util.Locale.ROOT);
        return switch (type.contains(";") ? type.substring(0, type.indexOf(';')).strip() : type) {
            case "image/jpeg" -> ".jpg";
            case "image/png" -> ".png";
            case "image/webp" -> ".webp";
            case "image/gif" -> ".gif";
            case "video/mp4" -> ".mp4";
            case "audio/ogg", "audio/ogg; codecs=opus" -> ".ogg";
            case "audio/mpeg" -> ".mp3";
            case "application/pdf" -> ".pdf";
            default -> ".bin";
        };
    }
}
