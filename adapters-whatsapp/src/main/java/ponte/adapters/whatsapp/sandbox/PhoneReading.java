package ponte.adapters.whatsapp.sandbox;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.crypto.AesGcm;
import ponte.adapters.whatsapp.crypto.Hkdf;
import ponte.adapters.whatsapp.proto.E2e;
import ponte.domain.message.ContactCard;
import ponte.domain.message.MediaInfo;
import ponte.domain.message.MediaType;
import ponte.domain.message.Message;
import ponte.domain.message.MessageId;

/**
 * How a virtual phone reads what it received and labels what it sends, written apart from the gateway's client (a
 * simulated party that ran the client's own code could not catch its bugs): the body the phone shows of a received
 * e2e message, a message stanza's {@code type}/{@code edit}/{@code <meta>}, and the sealing of its user's poll
 * votes (HKDF-SHA256 of the poll's secret over poll id, creator, voter and "Poll Vote"; AES-256-GCM with aad
 * poll id 0x00 voter; options named by their SHA-256).
 */
final class PhoneReading {
    private PhoneReading() {
    }

    /**
     * The id of the message a received one quotes: the {@code contextInfo.stanzaId} of its text, media, location or
     * contact content (WAProto's ContextInfo, field 1); empty when it quotes none.
     */
    static Optional<String> replyTo(E2e.Message m) {
        if (m.hasEphemeralMessage()) {
            return replyTo(m.getEphemeralMessage().getMessage());
        }
        E2e.ContextInfo context = m.hasExtendedTextMessage() ? m.getExtendedTextMessage().getContextInfo()
                : m.hasImageMessage() ? m.getImageMessage().getContextInfo()
                : m.hasVideoMessage() ? m.getVideoMessage().getContextInfo()
                : m.hasAudioMessage() ? m.getAudioMessage().getContextInfo()
                : m.hasDocumentMessage() ? m.getDocumentMessage().getContextInfo()
                : m.hasStickerMessage() ? m.getStickerMessage().getContextInfo()
                : m.hasLocationMessage() ? m.getLocationMessage().getContextInfo()
                : m.hasContactMessage() ? m.getContactMessage().getContextInfo()
                : null;
        return context == null || context.getStanzaId().isEmpty() ? Optional.empty()
                : Optional.of(context.getStanzaId());
    }

    /** What the phone shows of a received message: an edit as its new text, a revoke as revoked; else its type. */
    static Optional<Message.Body> body(E2e.Message m) {
        if (m.hasEphemeralMessage()) {
            return body(m.getEphemeralMessage().getMessage());
        }
        if (m.hasConversation()) {
            return Optional.of(new Message.Text(m.getConversation()));
        }
        if (m.hasExtendedTextMessage()) {
            return Optional.of(new Message.Text(m.getExtendedTextMessage().getText()));
        }
        if (m.hasLocationMessage()) {
            var l = m.getLocationMessage();
            return Optional.of(new Message.Location(l.getDegreesLatitude(), l.getDegreesLongitude(),
                    Optional.of(l.getName()).filter(s -> !s.isEmpty()),
                    Optional.of(l.getAddress()).filter(s -> !s.isEmpty())));
        }
        if (m.hasContactMessage()) {
            return Optional.of(new Message.Contacts(List.of(ContactCard.fromVcard(
                    m.getContactMessage().getDisplayName(), m.getContactMessage().getVcard()))));
        }
        if (m.hasContactsArrayMessage() && m.getContactsArrayMessage().getContactsCount() > 0) {
            return Optional.of(new Message.Contacts(m.getContactsArrayMessage().getContactsList().stream()
                    .map(c -> ContactCard.fromVcard(c.getDisplayName(), c.getVcard())).toList()));
        }
        if (m.hasReactionMessage()) {
            return Optional.of(new Message.Reaction(new MessageId(m.getReactionMessage().getKey().getId()),
                    m.getReactionMessage().getText()));
        }
        if (m.hasImageMessage()) {
            var i = m.getImageMessage();
            return media(MediaType.IMAGE, i.getMimetype(), i.getCaption(), "", false, false, false);
        }
        if (m.hasVideoMessage()) {
            var v = m.getVideoMessage();
            return media(MediaType.VIDEO, v.getMimetype(), v.getCaption(), "", false, v.getGifPlayback(), false);
        }
        if (m.hasAudioMessage()) {
            var a = m.getAudioMessage();
            // what the phone shows of a voice note: its length and its bars
            return media(MediaType.AUDIO, a.getMimetype(), "", "", a.getPtt(), false, false).map(body ->
                    withInfo(body, new MediaInfo(a.getMimetype(), Optional.empty(), java.util.OptionalLong.empty(),
                            Optional.empty(), a.getSeconds() > 0 ? java.util.OptionalInt.of(a.getSeconds())
                            : java.util.OptionalInt.empty(), java.util.OptionalInt.empty(),
                            java.util.OptionalInt.empty(), Optional.empty(), a.getPtt(), false, false, Optional.empty(),
                            a.hasWaveform() ? ponte.domain.message.Waveform.received(a.getWaveform().toByteArray())
                                    : Optional.empty(), java.util.OptionalInt.empty())));
        }
        if (m.hasDocumentMessage()) {
            var d = m.getDocumentMessage();
            return media(MediaType.DOCUMENT, d.getMimetype(), d.getCaption(), d.getFileName(), false, false, false)
                    .map(body -> withInfo(body, ((Message.Media) body).media().withExtras(Optional.empty(),
                            d.getPageCount() > 0 ? java.util.OptionalInt.of(d.getPageCount())
                                    : java.util.OptionalInt.empty())));
        }
        if (m.hasStickerMessage()) {
            var st = m.getStickerMessage();
            return media(MediaType.STICKER, st.getMimetype(), "", "", false, false, st.getIsAnimated());
        }
        var poll = poll(m);
        if (poll.isPresent()) {
            return Optional.of(new Message.Poll(poll.get().getName(), poll.get().getOptionsList().stream()
                    .map(E2e.PollCreationMessage.Option::getOptionName).toList(),
                    poll.get().getSelectableOptionsCount() != 1));
        }
        if (m.hasProtocolMessage() && m.getProtocolMessage().getType() == E2e.ProtocolMessage.Type.REVOKE) {
            return Optional.of(new Message.Revoked());
        }
        if (m.hasProtocolMessage() && m.getProtocolMessage().getType() == E2e.ProtocolMessage.Type.MESSAGE_EDIT) {
            return body(m.getProtocolMessage().getEditedMessage());
        }
        return Optional.empty();
    }

    /** The poll a message creates, in any of its three forms. */
    static Optional<E2e.PollCreationMessage> poll(E2e.Message m) {
        return m.hasPollCreationMessage() ? Optional.of(m.getPollCreationMessage())
                : m.hasPollCreationMessageV2() ? Optional.of(m.getPollCreationMessageV2())
                : m.hasPollCreationMessageV3() ? Optional.of(m.getPollCreationMessageV3()) : Optional.empty();
    }

    /** A message stanza's {@code type} for this content, as WhatsApp's clients set it. */
    static String stanzaType(E2e.Message m) {
        if (m.hasReactionMessage()) {
            return "reaction";
        }
        if (poll(m).isPresent() || m.hasPollUpdateMessage()) {
            return "poll";
        }
        if (m.hasContactMessage() || m.hasContactsArrayMessage()) {
            return "media";
        }
        return "text";
    }

    /** The stanza's {@code edit} attribute of an edit (1) or a revoke by its sender (7). */
    static Optional<String> edit(E2e.Message m) {
        if (!m.hasProtocolMessage()) {
            return Optional.empty();
        }
        return switch (m.getProtocolMessage().getType()) {
            case MESSAGE_EDIT -> Optional.of("1");
            case REVOKE -> Optional.of("7");
            default -> Optional.empty();
        };
    }

    /** The {@code <meta polltype="creation"/>} child a poll's creation carries. */
    static List<Node> meta(E2e.Message m) {
        return poll(m).isPresent() ? List.of(Node.of("meta", Node.attrs("polltype", "creation"))) : List.of();
    }

    /** Seals a vote for {@code options} (names): the {@code encPayload} under {@code iv} (12 bytes). */
    static byte[] sealVote(byte[] secret, String pollId, String creator, String voter, byte[] iv,
                           List<String> options) {
        var info = new ByteArrayOutputStream();
        for (String part : List.of(pollId, creator, voter, "Poll Vote")) {
            info.writeBytes(part.getBytes(StandardCharsets.UTF_8));
        }
        byte[] key = Hkdf.sha256(secret, new byte[32], info.toByteArray(), 32);
        var vote = E2e.PollVoteMessage.newBuilder();
        for (String option : options) {
            vote.addSelectedOptions(com.google.protobuf.ByteString.copyFrom(sha256(option)));
        }
        return AesGcm.encrypt(key, iv, vote.build().toByteArray(),
                (pollId + "\u0000" + voter).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Message.Body withInfo(Message.Body body, MediaInfo info) {
        return ((Message.Media) body).withMedia(info);
    }

    /** A media message as the phone shows it: its kind and description (the file itself is PhoneMedia's). */
    private static Optional<Message.Body> media(MediaType kind, String mime, String caption, String fileName,
                                                boolean ptt, boolean gif, boolean animated) {
        var info = new MediaInfo(mime, Optional.of(fileName).filter(s -> !s.isEmpty()), java.util.OptionalLong.empty(),
                Optional.empty(), java.util.OptionalInt.empty(), java.util.OptionalInt.empty(),
                java.util.OptionalInt.empty(), Optional.empty(), ptt, gif, animated, Optional.empty());
        return Optional.of(new Message.Media(kind, info, Optional.of(caption).filter(s -> !s.isEmpty()), false));
    }
}
