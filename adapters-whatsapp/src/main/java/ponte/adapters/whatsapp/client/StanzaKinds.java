package ponte.adapters.whatsapp.client;

import java.util.List;
import java.util.Map;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.proto.E2e;

/**
 * What a message stanza says about its content outside the ciphertext (protocol.md §1.14 step 7, facts as whatsmeow
 * and Baileys send them): {@code type} ({@code reaction}, {@code poll}, {@code media} or {@code text}), {@code edit}
 * ({@code 1} an edit, {@code 7} a revoke by its sender, {@code 8} a revoke by a group admin) and, for a poll's
 * creation, a {@code <meta polltype="creation"/>} child.
 */
final class StanzaKinds {
    private StanzaKinds() {
    }

    /** The stanza's {@code type}. */
    static String type(E2e.Message message) {
        var m = unwrapped(message);
        if (m.hasReactionMessage()) {
            return "reaction";
        }
        if (isPollCreation(m) || m.hasPollUpdateMessage()) {
            return "poll";
        }
        if (m.hasImageMessage() || m.hasVideoMessage() || m.hasAudioMessage() || m.hasDocumentMessage()
                || m.hasStickerMessage() || m.hasContactMessage() || m.hasContactsArrayMessage()) {
            return "media";
        }
        return "text";
    }

    /** The {@code edit} attribute, when the message edits or revokes another. */
    static Map<String, String> extraAttrs(E2e.Message message) {
        if (!message.hasProtocolMessage()) {
            return Map.of();
        }
        var protocol = message.getProtocolMessage();
        return switch (protocol.getType()) {
            case MESSAGE_EDIT -> Map.of("edit", "1");
            case REVOKE -> Map.of("edit", protocol.getKey().getFromMe() ? "7" : "8");
            default -> Map.of();
        };
    }

    /** The {@code <meta>} child of a poll's creation. */
    static List<Node> extraNodes(E2e.Message message) {
        return isPollCreation(unwrapped(message)) ? List.of(Node.of("meta", Node.attrs("polltype", "creation")))
                : List.of();
    }

    static boolean isPollCreation(E2e.Message m) {
        return m.hasPollCreationMessage() || m.hasPollCreationMessageV2() || m.hasPollCreationMessageV3();
    }

    private static E2e.Message unwrapped(E2e.Message message) {
        return message.hasDeviceSentMessage() ? message.getDeviceSentMessage().getMessage() : message;
    }
}
