package ponte.adapters.whatsapp.client;

import com.google.protobuf.ByteString;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import ponte.adapters.whatsapp.proto.E2e;
import ponte.domain.message.ContactCard;
import ponte.domain.message.Jid;
import ponte.domain.message.MediaInfo;
import ponte.domain.message.MediaType;
import ponte.domain.message.Message;
import ponte.domain.message.MessageId;

/**
 * Reads the content of a received e2e {@code Message} into the domain's terms (field numbers: Baileys WAProto.proto):
 * its {@link Message.Body}, the reply and mentions of its {@code contextInfo}, the file of a media message, and
 * whether it edits or revokes an earlier message. Wrappers are opened first: {@code ephemeralMessage},
 * {@code viewOnceMessage} (and its V2 forms: the content is flagged view-once), {@code documentWithCaptionMessage},
 * {@code editedMessage}. Poll votes are not read here: they need the poll's secret ({@link Polls}).
 */
final class MessageContents {
    private MessageContents() {
    }

    /** What a received message does to an earlier one. */
    public sealed interface Change {
        /** Nothing: a message of its own. */
        record None() implements Change {}

        /** A {@code MESSAGE_EDIT} of {@code target}: its new content. */
        record Edit(MessageId target, Message.Body newBody, Optional<Instant> at) implements Change {}

        /** A {@code REVOKE} of {@code target}. */
        record Revoke(MessageId target) implements Change {}
    }

    /** A read message; {@code body} empty when it has nothing the API shows (an unknown or protocol-only type). */
    public record Decoded(Optional<Message.Body> body, Optional<Message.Quoted> quoted, List<Jid> mentions,
                   Optional<ReceivedFile> file, Change change) {}

    /** The content, with its wrappers opened, and whether a view-once wrapper was among them. */
    record Opened(E2e.Message message, boolean viewOnce) {}

    static Opened open(E2e.Message message) {
        boolean viewOnce = false;
        for (int depth = 0; depth < 4; depth++) {
            if (message.hasDeviceSentMessage()) {
                message = message.getDeviceSentMessage().getMessage();
            } else if (message.hasEphemeralMessage()) {
                message = message.getEphemeralMessage().getMessage();
            } else if (message.hasViewOnceMessage()) {
                message = message.getViewOnceMessage().getMessage();
                viewOnce = true;
            } else if (message.hasViewOnceMessageV2()) {
                message = message.getViewOnceMessageV2().getMessage();
                viewOnce = true;
            } else if (message.hasViewOnceMessageV2Extension()) {
                message = message.getViewOnceMessageV2Extension().getMessage();
                viewOnce = true;
            } else if (message.hasDocumentWithCaptionMessage()) {
                message = message.getDocumentWithCaptionMessage().getMessage();
            } else if (message.hasEditedMessage()) {
                message = message.getEditedMessage().getMessage();
            } else {
                break;
            }
        }
        return new Opened(message, viewOnce);
    }

    static Decoded decode(E2e.Message raw) {
        var opened = open(raw);
        var m = opened.message();
        if (m.hasProtocolMessage()) {
            var protocol = m.getProtocolMessage();
            var target = protocol.getKey().getId();
            var targetId = messageId(target);
            if (targetId.isPresent() && protocol.getType() == E2e.ProtocolMessage.Type.REVOKE) {
                return plain(Optional.empty(), new Change.Revoke(targetId.get()));
            }
            if (targetId.isPresent() && protocol.getType() == E2e.ProtocolMessage.Type.MESSAGE_EDIT) {
                var edited = decode(protocol.getEditedMessage());
                var at = protocol.getTimestampMs() > 0 ? Optional.of(Instant.ofEpochMilli(protocol.getTimestampMs()))
                        : Optional.<Instant>empty();
                return edited.body().map(body -> plain(Optional.empty(),
                        new Change.Edit(targetId.get(), body, at)))
                        .orElseGet(() -> plain(Optional.empty(), new Change.None()));
            }
            return plain(Optional.empty(), new Change.None());
        }
        E2e.ContextInfo context = E2e.ContextInfo.getDefaultInstance();
        Optional<Message.Body> body = Optional.empty();
        Optional<ReceivedFile> file = Optional.empty();
        if (m.hasConversation()) {
            body = Optional.of(new Message.Text(m.getConversation()));
        } else if (m.hasExtendedTextMessage()) {
            body = Optional.of(new Message.Text(m.getExtendedTextMessage().getText()));
            context = m.getExtendedTextMessage().getContextInfo();
        } else if (m.hasImageMessage()) {
            var i = m.getImageMessage();
            context = i.getContextInfo();
            var info = info(i.getMimetype(), "image/jpeg", Optional.empty(), i.getFileLength(), i.getFileSha256(),
                    OptionalInt.empty(), dimension(i.getWidth()), dimension(i.getHeight()), false, false, false);
            body = Optional.of(new Message.Media(MediaType.IMAGE, info, caption(i.getCaption()),
                    opened.viewOnce() || i.getViewOnce()));
            file = file(MediaType.IMAGE, i.getDirectPath(), i.getUrl(), i.getMediaKey(), i.getFileSha256(),
                    i.getFileEncSha256(), i.getFileLength());
        } else if (m.hasVideoMessage()) {
            var v = m.getVideoMessage();
            context = v.getContextInfo();
            var info = info(v.getMimetype(), "video/mp4", Optional.empty(), v.getFileLength(), v.getFileSha256(),
                    dimension(v.getSeconds()), dimension(v.getWidth()), dimension(v.getHeight()), false,
                    v.getGifPlayback(), false);
            body = Optional.of(new Message.Media(MediaType.VIDEO, info, caption(v.getCaption()),
                    opened.viewOnce() || v.getViewOnce()));
            file = file(MediaType.VIDEO, v.getDirectPath(), v.getUrl(), v.getMediaKey(), v.getFileSha256(),
                    v.getFileEncSha256(), v.getFileLength());
        } else if (m.hasAudioMessage()) {
            var a = m.getAudioMessage();
            context = a.getContextInfo();
            var info = info(a.getMimetype(), "audio/ogg; codecs=opus", Optional.empty(), a.getFileLength(),
                    a.getFileSha256(), dimension(a.getSeconds()), OptionalInt.empty(), OptionalInt.empty(),
                    a.getPtt(), false, false).withExtras(a.hasWaveform()
                    ? ponte.domain.message.Waveform.received(a.getWaveform().toByteArray()) : Optional.empty(),
                    OptionalInt.empty());
            body = Optional.of(new Message.Media(MediaType.AUDIO, info, Optional.empty(),
                    opened.viewOnce() || a.getViewOnce()));
            file = file(MediaType.AUDIO, a.getDirectPath(), a.getUrl(), a.getMediaKey(), a.getFileSha256(),
                    a.getFileEncSha256(), a.getFileLength());
        } else if (m.hasDocumentMessage()) {
            var d = m.getDocumentMessage();
            context = d.getContextInfo();
            var name = d.hasFileName() ? Optional.of(d.getFileName())
                    : d.hasTitle() ? Optional.of(d.getTitle()) : Optional.<String>empty();
            var info = info(d.getMimetype(), "application/octet-stream", name, d.getFileLength(),
                    d.getFileSha256(), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), false, false,
                    false).withExtras(Optional.empty(), dimension(d.getPageCount()));
            body = Optional.of(new Message.Media(MediaType.DOCUMENT, info, caption(d.getCaption()),
                    opened.viewOnce()));
            file = file(MediaType.DOCUMENT, d.getDirectPath(), d.getUrl(), d.getMediaKey(), d.getFileSha256(),
                    d.getFileEncSha256(), d.getFileLength());
        } else if (m.hasStickerMessage()) {
            var s = m.getStickerMessage();
            context = s.getContextInfo();
            var info = info(s.getMimetype(), "image/webp", Optional.empty(), s.getFileLength(), s.getFileSha256(),
                    OptionalInt.empty(), dimension(s.getWidth()), dimension(s.getHeight()), false, false,
                    s.getIsAnimated());
            body = Optional.of(new Message.Media(MediaType.STICKER, info, Optional.empty(), opened.viewOnce()));
            file = file(MediaType.STICKER, s.getDirectPath(), s.getUrl(), s.getMediaKey(), s.getFileSha256(),
                    s.getFileEncSha256(), s.getFileLength());
        } else if (m.hasLocationMessage()) {
            var l = m.getLocationMessage();
            context = l.getContextInfo();
            double lat = l.getDegreesLatitude();
            double lon = l.getDegreesLongitude();
            if (lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180) {
                body = Optional.of(new Message.Location(lat, lon, nonBlank(l.getName()), nonBlank(l.getAddress())));
            }
        } else if (m.hasContactMessage()) {
            var c = m.getContactMessage();
            context = c.getContextInfo();
            body = Optional.of(new Message.Contacts(List.of(ContactCard.fromVcard(c.getDisplayName(), c.getVcard()))));
        } else if (m.hasContactsArrayMessage()) {
            var array = m.getContactsArrayMessage();
            context = array.getContextInfo();
            var cards = array.getContactsList().stream()
                    .map(c -> ContactCard.fromVcard(c.getDisplayName(), c.getVcard())).toList();
            if (!cards.isEmpty()) {
                body = Optional.of(new Message.Contacts(cards));
            }
        } else if (m.hasReactionMessage()) {
            var r = m.getReactionMessage();
            body = messageId(r.getKey().getId()).map(target -> new Message.Reaction(target, r.getText()));
        } else if (Polls.creation(m).isPresent()) {
            var p = Polls.creation(m).get();
            context = p.getContextInfo();
            body = Optional.of(new Message.Poll(p.getName(),
                    p.getOptionsList().stream().map(E2e.PollCreationMessage.Option::getOptionName).toList(),
                    p.getSelectableOptionsCount() != 1));
        }
        return new Decoded(body, quoted(context), mentions(context), file.filter(ReceivedFile::complete),
                new Change.None());
    }

    /** Whether the message (its wrappers opened) creates a poll. */
    static boolean isPollCreation(E2e.Message message) {
        return Polls.creation(open(message).message()).isPresent();
    }

    private static Decoded plain(Optional<Message.Body> body, Change change) {
        return new Decoded(body, Optional.empty(), List.of(), Optional.empty(), change);
    }

    private static Optional<Message.Quoted> quoted(E2e.ContextInfo context) {
        var target = messageId(context.getStanzaId());
        if (target.isEmpty()) {
            return Optional.empty();
        }
        var author = Jid.parse(context.getParticipant()).or(() -> Jid.parse(context.getRemoteJid()));
        return author.map(jid -> new Message.Quoted(target.get(), jid.toNonDevice()));
    }

    /**
     * The id a peer's message names (quoted, reacted to, edited, revoked), when it has the shape of one: a peer can
     * put anything there, and a reference we could not name is no reference (found by fuzzing, issue 17).
     */
    private static Optional<MessageId> messageId(String text) {
        try {
            return text.isEmpty() ? Optional.empty() : Optional.of(new MessageId(text));
        } catch (IllegalArgumentException notAnId) {
            return Optional.empty();
        }
    }

    private static List<Jid> mentions(E2e.ContextInfo context) {
        var out = new ArrayList<Jid>();
        context.getMentionedJidList().forEach(raw -> Jid.parse(raw).map(Jid::toNonDevice)
                .filter(j -> !out.contains(j)).ifPresent(out::add));
        return out;
    }

    private static MediaInfo info(String mime, String fallbackMime, Optional<String> fileName, long length,
                                  ByteString sha256, OptionalInt duration, OptionalInt width, OptionalInt height,
                                  boolean ptt, boolean gif, boolean animated) {
        return new MediaInfo(mime.isBlank() ? fallbackMime : mime, fileName,
                length > 0 ? OptionalLong.of(length) : OptionalLong.empty(),
                sha256.size() == 32 ? Optional.of(HexFormat.of().formatHex(sha256.toByteArray())) : Optional.empty(),
                duration, width, height, Optional.empty(), ptt, gif, animated, Optional.empty());
    }

    private static Optional<ReceivedFile> file(MediaType kind, String directPath, String url, ByteString mediaKey,
                                               ByteString fileSha256, ByteString fileEncSha256, long length) {
        return Optional.of(new ReceivedFile(kind, directPath, nonBlank(url), mediaKey.toByteArray(),
                fileSha256.toByteArray(), fileEncSha256.toByteArray(), length));
    }

    private static OptionalInt dimension(int value) {
        return value > 0 ? OptionalInt.of(value) : OptionalInt.empty();
    }

    private static Optional<String> caption(String caption) {
        return nonBlank(caption);
    }

    private static Optional<String> nonBlank(String text) {
        return text == null || text.isBlank() ? Optional.empty() : Optional.of(text);
    }
}
