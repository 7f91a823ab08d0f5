package ponte.adapters.whatsapp.engine;

import com.google.protobuf.ByteString;
import ponte.adapters.whatsapp.client.OutgoingText;
import ponte.adapters.whatsapp.proto.E2e;
import ponte.application.port.out.MessagingPort.Target;
import ponte.application.port.out.MessagingPort.WireContent;
import ponte.application.port.out.MessagingPort.WireMessage;
import ponte.domain.message.ContactCard;
import ponte.domain.message.Jid;

/**
 * Builds the e2e {@code Message} of an outgoing {@link WireMessage} (WhatsApp's shapes, field numbers from Baileys
 * WAProto.proto): the content's own message with a {@code contextInfo} carrying the reply (quoted id, author and
 * text) and mentions, on every type that has one. Reactions, edits and revokes carry no context. A poll is built
 * without its secret: the client adds it ({@code Polls}) and keeps it for the votes.
 */
final class WireContents {
    private WireContents() {
    }

    /**
     * The message to hand to the client. A text keeps the client's own text path (conversation or extended), unless
     * it carries a link preview, which only an {@code ExtendedTextMessage} built here can hold.
     */
    static OutgoingText outgoing(WireMessage message) {
        var to = message.chat().toString();
        var id = message.id().value();
        if (message.content() instanceof WireContent.Text text && text.preview().isEmpty()) {
            return new OutgoingText(to, text.text(), id, message.quoted().map(quote -> new OutgoingText.Quote(
                    quote.id().value(), quote.sender().toString(), quote.text())),
                    message.mentions().stream().map(Jid::toString).toList());
        }
        return OutgoingText.prepared(to, id, encode(message));
    }

    /** The e2e message of a non-text content. */
    static E2e.Message encode(WireMessage message) {
        var context = context(message);
        var out = E2e.Message.newBuilder();
        switch (message.content()) {
            case WireContent.Text text -> {
                var b = E2e.ExtendedTextMessage.newBuilder().setText(text.text()).setContextInfo(context);
                // the link preview as WhatsApp's clients attach it; the receiver shows matchedText as the link
                text.preview().ifPresent(preview -> {
                    b.setMatchedText(preview.matchedText())
                            .setPreviewType(E2e.ExtendedTextMessage.PreviewType.NONE);
                    preview.title().ifPresent(b::setTitle);
                    preview.description().ifPresent(b::setDescription);
                    preview.thumbnail().ifPresent(jpeg -> b.setJpegThumbnail(ByteString.copyFrom(jpeg)));
                });
                out.setExtendedTextMessage(b);
            }
            case WireContent.Location location -> {
                var l = location.location();
                var b = E2e.LocationMessage.newBuilder().setDegreesLatitude(l.latitude())
                        .setDegreesLongitude(l.longitude()).setContextInfo(context);
                l.name().ifPresent(b::setName);
                l.address().ifPresent(b::setAddress);
                out.setLocationMessage(b);
            }
            case WireContent.Contacts contacts -> {
                if (contacts.cards().size() == 1) {
                    out.setContactMessage(card(contacts.cards().getFirst()).setContextInfo(context));
                } else {
                    var array = E2e.ContactsArrayMessage.newBuilder()
                            .setDisplayName(contacts.cards().size() + " contacts").setContextInfo(context);
                    contacts.cards().forEach(card -> array.addContacts(card(card)));
                    out.setContactsArrayMessage(array);
                }
            }
            case WireContent.Reaction reaction -> out.setReactionMessage(E2e.ReactionMessage.newBuilder()
                    .setKey(key(message.chat(), reaction.target())).setText(reaction.emoji())
                    .setSenderTimestampMs(System.currentTimeMillis()));
            case WireContent.Poll poll -> {
                var creation = E2e.PollCreationMessage.newBuilder().setName(poll.question())
                        .setSelectableOptionsCount(poll.multiple() ? 0 : 1).setContextInfo(context);
                poll.options().forEach(option -> creation.addOptions(
                        E2e.PollCreationMessage.Option.newBuilder().setOptionName(option)));
                // single-choice polls travel as V3, multiple-choice ones as the first form (as WhatsApp's clients)
                if (poll.multiple()) {
                    out.setPollCreationMessage(creation);
                } else {
                    out.setPollCreationMessageV3(creation);
                }
            }
            case WireContent.Edit edit -> out.setProtocolMessage(E2e.ProtocolMessage.newBuilder()
                    .setType(E2e.ProtocolMessage.Type.MESSAGE_EDIT)
                    .setKey(E2e.MessageKey.newBuilder().setRemoteJid(message.chat().toString()).setFromMe(true)
                            .setId(edit.target().value()))
                    .setEditedMessage(E2e.Message.newBuilder().setConversation(edit.text()))
                    .setTimestampMs(System.currentTimeMillis()));
            case WireContent.Revoke revoke -> out.setProtocolMessage(E2e.ProtocolMessage.newBuilder()
                    .setType(E2e.ProtocolMessage.Type.REVOKE).setKey(key(message.chat(), revoke.target())));
            case WireContent.Media media -> media(out, media, context);
            case WireContent.StagedMedia staged -> throw new IllegalArgumentException(
                    "a staged media send is uploaded by the outgoing sender before it reaches the engine");
        }
        return out.build();
    }

    /**
     * An uploaded file's message (protocol.md §1.16): where it lies and how to open it ({@code directPath},
     * {@code url}, {@code mediaKey} with its timestamp, both hashes, {@code fileLength}) and its description. A
     * sticker's thumbnail, when given, is its PNG one; the other types' are JPEG.
     */
    private static void media(E2e.Message.Builder out, WireContent.Media media, E2e.ContextInfo context) {
        var ref = media.ref();
        var key = com.google.protobuf.ByteString.copyFrom(ref.mediaKey());
        var sha = com.google.protobuf.ByteString.copyFrom(ref.fileSha256());
        var encSha = com.google.protobuf.ByteString.copyFrom(ref.fileEncSha256());
        String url = ref.url().orElse("https://" + DEFAULT_MEDIA_HOST + ref.directPath());
        long keyTime = System.currentTimeMillis() / 1000;
        switch (media.kind()) {
            case IMAGE -> {
                var b = E2e.ImageMessage.newBuilder().setUrl(url).setMimetype(media.mimeType()).setFileSha256(sha)
                        .setFileLength(ref.fileLength()).setMediaKey(key).setFileEncSha256(encSha)
                        .setDirectPath(ref.directPath()).setMediaKeyTimestamp(keyTime).setContextInfo(context);
                media.caption().ifPresent(b::setCaption);
                media.width().ifPresent(b::setWidth);
                media.height().ifPresent(b::setHeight);
                media.thumbnail().ifPresent(t -> b.setJpegThumbnail(com.google.protobuf.ByteString.copyFrom(t)));
                out.setImageMessage(b);
            }
            case VIDEO -> {
                var b = E2e.VideoMessage.newBuilder().setUrl(url).setMimetype(media.mimeType()).setFileSha256(sha)
                        .setFileLength(ref.fileLength()).setMediaKey(key).setFileEncSha256(encSha)
                        .setDirectPath(ref.directPath()).setMediaKeyTimestamp(keyTime).setContextInfo(context);
                if (media.gif()) {
                    b.setGifPlayback(true);
                }
                media.caption().ifPresent(b::setCaption);
                media.width().ifPresent(b::setWidth);
                media.height().ifPresent(b::setHeight);
                media.durationS().ifPresent(b::setSeconds);
                media.thumbnail().ifPresent(t -> b.setJpegThumbnail(com.google.protobuf.ByteString.copyFrom(t)));
                out.setVideoMessage(b);
            }
            case AUDIO -> {
                var b = E2e.AudioMessage.newBuilder().setUrl(url).setMimetype(media.mimeType()).setFileSha256(sha)
                        .setFileLength(ref.fileLength()).setMediaKey(key).setFileEncSha256(encSha)
                        .setDirectPath(ref.directPath()).setMediaKeyTimestamp(keyTime).setContextInfo(context);
                if (media.ptt()) {
                    b.setPtt(true);
                }
                media.durationS().ifPresent(b::setSeconds);
                media.waveform().ifPresent(w -> b.setWaveform(com.google.protobuf.ByteString.copyFrom(w)));
                out.setAudioMessage(b);
            }
            case DOCUMENT -> {
                var b = E2e.DocumentMessage.newBuilder().setUrl(url).setMimetype(media.mimeType())
                        .setFileSha256(sha).setFileLength(ref.fileLength()).setMediaKey(key)
                        .setFileEncSha256(encSha).setDirectPath(ref.directPath()).setMediaKeyTimestamp(keyTime)
                        .setContextInfo(context);
                media.fileName().ifPresent(name -> b.setFileName(name).setTitle(name));
                media.pageCount().ifPresent(b::setPageCount);
                media.caption().ifPresent(b::setCaption);
                media.thumbnail().ifPresent(t -> b.setJpegThumbnail(com.google.protobuf.ByteString.copyFrom(t)));
                out.setDocumentMessage(b);
            }
            case STICKER -> {
                var b = E2e.StickerMessage.newBuilder().setUrl(url).setMimetype(media.mimeType())
                        .setFileSha256(sha).setFileLength(ref.fileLength()).setMediaKey(key)
                        .setFileEncSha256(encSha).setDirectPath(ref.directPath()).setMediaKeyTimestamp(keyTime)
                        .setContextInfo(context);
                if (media.animated()) {
                    b.setIsAnimated(true);
                }
                media.width().ifPresent(b::setWidth);
                media.height().ifPresent(b::setHeight);
                media.thumbnail().ifPresent(t -> b.setPngThumbnail(com.google.protobuf.ByteString.copyFrom(t)));
                out.setStickerMessage(b);
            }
        }
    }

    /** WhatsApp's default media host (Baileys {@code DEF_MEDIA_HOST}), for a url when the upload named none. */
    private static final String DEFAULT_MEDIA_HOST = "mmg.whatsapp.net";

    private static E2e.ContactMessage.Builder card(ContactCard card) {
        return E2e.ContactMessage.newBuilder().setDisplayName(card.name()).setVcard(card.vcard());
    }

    private static E2e.MessageKey key(Jid chat, Target target) {
        var key = E2e.MessageKey.newBuilder().setRemoteJid(chat.toString()).setFromMe(target.fromMe())
                .setId(target.id().value());
        target.participant().filter(p -> chat.isGroup()).ifPresent(p -> key.setParticipant(p.toString()));
        return key.build();
    }

    private static E2e.ContextInfo context(WireMessage message) {
        var context = E2e.ContextInfo.newBuilder();
        message.mentions().forEach(jid -> context.addMentionedJid(jid.toString()));
        message.quoted().ifPresent(quote -> {
            context.setStanzaId(quote.id().value()).setParticipant(quote.sender().toString());
            quote.text().ifPresent(text -> context.setQuotedMessage(E2e.Message.newBuilder().setConversation(text)));
        });
        return context.build();
    }
}
