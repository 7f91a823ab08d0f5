package ponte.adapters.whatsapp.sandbox;

import java.util.Optional;
import ponte.adapters.whatsapp.proto.E2e;
import ponte.domain.message.ContactCard;
import ponte.domain.message.Message;
import ponte.domain.message.OutgoingContent;
import ponte.domain.message.TextContent;

/**
 * What a virtual phone's user sends, as WhatsApp's clients shape it on the wire: the e2e {@code Message} of a text,
 * location, contact cards, reaction, poll, edit or revoke, with the quoted message of a reply. Written apart from
 * the gateway's own encoder, so the sandbox is a second, independent party to the shapes.
 */
final class PhoneContents {
    private PhoneContents() {
    }

    /**
     * @param chat        the chat's JID as the phone names it (the peer's PN JID, or a group's)
     * @param quoted      the id and author JID of the message replied to
     * @param targetIsOurs whether the phone wrote the message a reaction or revoke is about
     */
    static E2e.Message of(OutgoingContent content, String chat, Optional<String[]> quoted, boolean targetIsOurs) {
        var context = E2e.ContextInfo.newBuilder();
        quoted.ifPresent(q -> context.setStanzaId(q[0]).setParticipant(q[1]));
        var out = E2e.Message.newBuilder();
        switch (content) {
            case TextContent text -> {
                if (quoted.isEmpty()) {
                    out.setConversation(text.text());
                } else {
                    out.setExtendedTextMessage(E2e.ExtendedTextMessage.newBuilder().setText(text.text())
                            .setContextInfo(context));
                }
            }
            case Message.Location l -> {
                var b = E2e.LocationMessage.newBuilder().setDegreesLatitude(l.latitude())
                        .setDegreesLongitude(l.longitude()).setContextInfo(context);
                l.name().ifPresent(b::setName);
                l.address().ifPresent(b::setAddress);
                out.setLocationMessage(b);
            }
            case Message.Contacts c -> {
                if (c.contacts().size() == 1) {
                    out.setContactMessage(card(c.contacts().getFirst()).setContextInfo(context));
                } else {
                    var array = E2e.ContactsArrayMessage.newBuilder().setContextInfo(context);
                    c.contacts().forEach(card -> array.addContacts(card(card)));
                    out.setContactsArrayMessage(array);
                }
            }
            case Message.Reaction r -> out.setReactionMessage(E2e.ReactionMessage.newBuilder()
                    .setKey(E2e.MessageKey.newBuilder().setRemoteJid(chat).setFromMe(targetIsOurs)
                            .setId(r.messageId().value()))
                    .setText(r.emoji()).setSenderTimestampMs(System.currentTimeMillis()));
            case Message.Poll p -> {
                var poll = E2e.PollCreationMessage.newBuilder().setName(p.question())
                        .setSelectableOptionsCount(p.multiple() ? 0 : 1).setContextInfo(context);
                p.options().forEach(o -> poll.addOptions(E2e.PollCreationMessage.Option.newBuilder()
                        .setOptionName(o)));
                out.setPollCreationMessage(poll);
            }
            case OutgoingContent.Edit e -> out.setProtocolMessage(E2e.ProtocolMessage.newBuilder()
                    .setType(E2e.ProtocolMessage.Type.MESSAGE_EDIT)
                    .setKey(E2e.MessageKey.newBuilder().setRemoteJid(chat).setFromMe(true)
                            .setId(e.messageId().value()))
                    .setEditedMessage(E2e.Message.newBuilder().setConversation(e.text()))
                    .setTimestampMs(System.currentTimeMillis()));
            case OutgoingContent.Revoke r -> out.setProtocolMessage(E2e.ProtocolMessage.newBuilder()
                    .setType(E2e.ProtocolMessage.Type.REVOKE)
                    .setKey(E2e.MessageKey.newBuilder().setRemoteJid(chat).setFromMe(targetIsOurs)
                            .setId(r.messageId().value())));
            case ponte.domain.message.MediaContent m -> throw new IllegalArgumentException(
                    "the sandbox's phones do not send media yet");
        }
        return out.build();
    }

    private static E2e.ContactMessage.Builder card(ContactCard card) {
        return E2e.ContactMessage.newBuilder().setDisplayName(card.name()).setVcard(card.vcard());
    }
}
