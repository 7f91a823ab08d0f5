package ponte.application.port.out;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import ponte.domain.message.Jid;
import ponte.domain.message.MessageId;

/**
 * What the messaging use cases ask of the WhatsApp engine that runs an instance's session on this node. Every call
 * names the instance by id; a session that is not running here, or not online, fails with {@link Offline} (the
 * caller keeps the message queued and tries again once the instance is online).
 */
public interface MessagingPort {

    /**
     * Asks the server which of these phone-number JIDs or LIDs are WhatsApp accounts (a usync {@code contact} query
     * for numbers, protocol.md §1.12; for a LID, whether the server lists any device of it), waiting at most
     * {@code wait}. One answer per asked JID, in the order asked.
     *
     * @throws Offline when the instance has no live session on this node
     */
    List<ContactLookup> lookup(UUID instanceId, List<Jid> phoneJids, Duration wait);

    /**
     * The server's answer for one asked JID: whether it is an account, the JID the server knows it by (for
     * Brazil's and Mexico's old and new mobile forms this may differ from the asked one) and its LID when told.
     */
    record ContactLookup(Jid asked, boolean exists, Optional<Jid> jid, Optional<Jid> lid) {}

    /**
     * Encrypts and sends one message with its id fixed by the caller (a resend after a crash is the same message
     * as far as WhatsApp can tell). The future completes with the server's timestamp once the server acked it, or
     * fails with {@link Offline} (not sent; try again later) or {@link Refused} (will never go out; the reason is
     * for the API's {@code error}).
     */
    CompletableFuture<Instant> send(UUID instanceId, WireMessage message);

    /**
     * One outgoing message as the wire carries it: any content, with the reply and mentions every type may carry
     * (the wire's {@code ContextInfo}; reactions, edits and revokes carry neither).
     *
     * @param chat     the account JID (PN or LID) or group JID, resolved by the caller
     * @param content  what it says
     * @param quoted   the message replied to, when replying
     * @param mentions the accounts mentioned, as JIDs
     */
    record WireMessage(MessageId id, Jid chat, WireContent content, Optional<Quote> quoted, List<Jid> mentions) {
        public WireMessage {
            java.util.Objects.requireNonNull(content, "content");
            mentions = List.copyOf(mentions);
        }

        /** A text message (the form every sender had before other types). */
        public WireMessage(MessageId id, Jid chat, String text, boolean linkPreview, Optional<Quote> quoted,
                           List<Jid> mentions) {
            this(id, chat, new WireContent.Text(text, linkPreview), quoted, mentions);
        }
    }

    /** What an outgoing message says, one variant per WhatsApp message shape the gateway writes. */
    sealed interface WireContent {
        /**
         * {@code conversation} or {@code extendedTextMessage}; {@code linkPreview}: the sender may attach one.
         * {@code preview} is the one the sender fetched as the message went out (the {@code matchedText},
         * {@code title}, {@code description}, {@code canonicalUrl} and {@code jpegThumbnail} fields of
         * {@code extendedTextMessage}); never queued, always fetched anew.
         */
        record Text(String text, boolean linkPreview, Optional<ponte.application.model.LinkPreview> preview)
                implements WireContent {
            public Text {
                java.util.Objects.requireNonNull(text, "text");
                java.util.Objects.requireNonNull(preview, "preview");
            }

            /** A text as queued, before any preview is fetched. */
            public Text(String text, boolean linkPreview) {
                this(text, linkPreview, Optional.empty());
            }

            /** The same text with the preview of its first link. */
            public Text withPreview(ponte.application.model.LinkPreview found) {
                return new Text(text, linkPreview, Optional.of(found));
            }
        }

        /** {@code locationMessage}. */
        record Location(ponte.domain.message.Message.Location location) implements WireContent {}

        /** {@code contactMessage} for one card, {@code contactsArrayMessage} for several (vCard 3.0 each). */
        record Contacts(List<ponte.domain.message.ContactCard> cards) implements WireContent {
            public Contacts {
                cards = List.copyOf(cards);
            }
        }

        /** {@code reactionMessage} on {@code target}; an empty emoji removes our reaction. */
        record Reaction(Target target, String emoji) implements WireContent {}

        /**
         * {@code pollCreationMessage} ({@code selectableOptionsCount} 1, or 0 when {@code multiple}); the wire
         * client draws the poll's 32-byte secret ({@code messageContextInfo.messageSecret}) and keeps it with the
         * options, to decrypt the votes that come back.
         */
        record Poll(String question, List<String> options, boolean multiple) implements WireContent {
            public Poll {
                options = List.copyOf(options);
            }
        }

        /**
         * A {@code protocolMessage} of type {@code MESSAGE_EDIT} for our own message {@code target}: its new text
         * (for a media message, its new caption, sent as the same text field).
         */
        record Edit(MessageId target, String text) implements WireContent {}

        /** A {@code protocolMessage} of type {@code REVOKE}: delete {@code target} for everyone. */
        record Revoke(Target target) implements WireContent {}

        /**
         * A media message ({@code imageMessage}, {@code videoMessage}, {@code audioMessage},
         * {@code documentMessage}, {@code stickerMessage}) whose file is already uploaded.
         *
         * @param kind      which of the five (a voice note is AUDIO with {@code ptt}, a GIF VIDEO with {@code gif})
         * @param ref       where the encrypted file lies and its key and hashes ({@link MediaTransferPort#upload})
         * @param mimeType  the file's MIME type, detected from its bytes
         * @param caption   images, videos, documents
         * @param fileName  a document's name
         * @param width     pixels, images/videos/stickers
         * @param height    pixels
         * @param durationS seconds, audio/video
         * @param ptt       voice note
         * @param gif       GIF playback
         * @param animated  animated sticker
         * @param thumbnail a small JPEG (PNG for stickers) shown before download
         * @param waveform  a voice note's 64 loudness samples (0-100)
         * @param pageCount a document's pages
         */
        record Media(MediaTransferPort.MediaKind kind, MediaTransferPort.MediaRef ref, String mimeType,
                     Optional<String> caption, Optional<String> fileName, java.util.OptionalInt width,
                     java.util.OptionalInt height, java.util.OptionalInt durationS, boolean ptt, boolean gif,
                     boolean animated, Optional<byte[]> thumbnail, Optional<byte[]> waveform,
                     java.util.OptionalInt pageCount) implements WireContent {
            /** A media message without a page count. */
            public Media(MediaTransferPort.MediaKind kind, MediaTransferPort.MediaRef ref, String mimeType,
                         Optional<String> caption, Optional<String> fileName, java.util.OptionalInt width,
                         java.util.OptionalInt height, java.util.OptionalInt durationS, boolean ptt, boolean gif,
                         boolean animated, Optional<byte[]> thumbnail, Optional<byte[]> waveform) {
                this(kind, ref, mimeType, caption, fileName, width, height, durationS, ptt, gif, animated, thumbnail,
                        waveform, java.util.OptionalInt.empty());
            }

            public Media {
                java.util.Objects.requireNonNull(pageCount, "pageCount");
                java.util.Objects.requireNonNull(kind, "kind");
                java.util.Objects.requireNonNull(ref, "ref");
                java.util.Objects.requireNonNull(mimeType, "mimeType");
                thumbnail = thumbnail.map(byte[]::clone);
                waveform = waveform.map(byte[]::clone);
            }
        }

        /**
         * A media send as the outgoing queue keeps it, before its upload: the checked file lies in the media store
         * under the message's id (the {@code media} table), and the sender uploads it
         * ({@link MediaTransferPort#upload}) and sends the {@link Media} this becomes. Never handed to the engine.
         * The fields are those of {@link Media} known before the upload ({@code animated}: a sticker whose WebP
         * bytes are animated, {@link MediaProbe#animated}).
         */
        record StagedMedia(MediaTransferPort.MediaKind kind, String mimeType, Optional<String> caption,
                           Optional<String> fileName, java.util.OptionalInt width, java.util.OptionalInt height,
                           boolean ptt, boolean gif, boolean animated, Optional<byte[]> thumbnail,
                           java.util.OptionalInt durationS, Optional<byte[]> waveform,
                           java.util.OptionalInt pageCount) implements WireContent {
            /** A staged send that is not animated, without duration, waveform or page count. */
            public StagedMedia(MediaTransferPort.MediaKind kind, String mimeType, Optional<String> caption,
                               Optional<String> fileName, java.util.OptionalInt width, java.util.OptionalInt height,
                               boolean ptt, boolean gif, Optional<byte[]> thumbnail) {
                this(kind, mimeType, caption, fileName, width, height, ptt, gif, false, thumbnail,
                        java.util.OptionalInt.empty(), Optional.empty(), java.util.OptionalInt.empty());
            }

            public StagedMedia {
                java.util.Objects.requireNonNull(kind, "kind");
                java.util.Objects.requireNonNull(mimeType, "mimeType");
                java.util.Objects.requireNonNull(durationS, "durationS");
                java.util.Objects.requireNonNull(pageCount, "pageCount");
                thumbnail = thumbnail.map(byte[]::clone);
                waveform = waveform.map(byte[]::clone);
            }

            /** What is sent once the file is uploaded to {@code ref}. */
            public Media uploaded(MediaTransferPort.MediaRef ref) {
                return new Media(kind, ref, mimeType, caption, fileName, width, height, durationS, ptt, gif,
                        animated, thumbnail, waveform, pageCount);
            }
        }
    }

    /**
     * The message a reaction or revoke is about, as the wire's {@code MessageKey} names it (the chat is the
     * message's own): its id, whether we wrote it, and in a group its author.
     */
    record Target(MessageId id, boolean fromMe, Optional<Jid> participant) {
        public Target {
            java.util.Objects.requireNonNull(id, "id");
            java.util.Objects.requireNonNull(participant, "participant");
        }
    }

    /** The quoted message of a reply: its id, who wrote it (its sender's JID) and its text when known. */
    record Quote(MessageId id, Jid sender, Optional<String> text) {}

    /**
     * Sends read receipts for these received messages of {@code chat}; {@code participant} is their sender in a
     * group. Fire and forget: the server does not ack receipts.
     *
     * @throws Offline when the instance has no live session on this node
     */
    void markRead(UUID instanceId, Jid chat, Optional<Jid> participant, List<MessageId> ids);

    /**
     * Whether the instance's account is a participant of {@code group} (a group metadata query, cached until a
     * {@code w:gp2} notification changes it). Empty when the group does not exist or we are not in it.
     *
     * @throws Offline when the instance has no live session on this node
     */
    Optional<GroupMembers> group(UUID instanceId, Jid group, Duration wait);

    /** A group's participants as the server lists them (account JIDs, PN or LID as the group addresses them). */
    record GroupMembers(Jid group, String subject, List<Jid> participants) {
        public GroupMembers {
            participants = List.copyOf(participants);
        }
    }

    /** The instance has no live session on this node: nothing went out. */
    final class Offline extends RuntimeException {
        public Offline(String message) {
            super(message);
        }
    }

    /** WhatsApp will not take this message (an error ack, an unknown recipient): it never goes out. */
    final class Refused extends RuntimeException {
        public Refused(String reason) {
            super(reason);
        }
    }
}
