package ponte.domain.message;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A message as the API shows it, in events and from the store (API.md "The message object"):
 * <pre>{@code
 * {id, chat_jid, from_me, sender:{jid, lid, push_name}, timestamp, type, status, text?, caption?, media?,
 *  location?, contacts?, poll?, poll_vote?, reaction?, quoted?:{id, sender}, mentions?:[jid…], edited_at?,
 *  revoked?, view_once?, is_group, participant?, from_history?, undecryptable?}
 * }</pre>
 * {@code id} is WhatsApp's own id, the same in every later receipt, edit and event. {@code timestamp} is ISO-8601
 * UTC, the time the sender's client gave the message (the stanza's {@code t}). Optional fields are left out when
 * absent; flags ({@code revoked}, {@code view_once}, {@code from_history}, {@code undecryptable}) only appear when
 * true. Which of {@code text}, {@code caption}, {@code media}, … appear follows from the {@link Body}.
 *
 * @param chatJid     the chat: the other person's JID in a 1:1 chat, the group's in a group
 * @param participant in a group, the member who wrote it (the account, no device); empty in a 1:1 chat
 * @param status      for our messages, how far they went ({@link OutgoingStatus}); a received message shows
 *                    {@code delivered}, or {@code read} once marked read
 * @param editedAt    when its author last edited it (a {@code MESSAGE_EDIT}), if ever
 * @param revoked     its author deleted it for everyone (a {@code REVOKE})
 */
public record Message(MessageId id, Jid chatJid, boolean fromMe, Sender sender, Instant timestamp,
                      MessageStatus status, Body body, Optional<Quoted> quoted, List<Jid> mentions,
                      Optional<Jid> participant, boolean fromHistory, Optional<Instant> editedAt,
                      boolean revoked) {

    /** A message as it was before edits and revokes were modelled: never edited, not revoked. */
    public Message(MessageId id, Jid chatJid, boolean fromMe, Sender sender, Instant timestamp, MessageStatus status,
                   Body body, Optional<Quoted> quoted, List<Jid> mentions, Optional<Jid> participant,
                   boolean fromHistory) {
        this(id, chatJid, fromMe, sender, timestamp, status, body, quoted, mentions, participant, fromHistory,
                Optional.empty(), false);
    }

    /** What the message says; each kind is one API {@code type}. */
    public sealed interface Body {
        /** The API's {@code type} for this body. */
        String type();
    }

    /**
     * A media message: an image, video (or GIF), audio (or voice note), document or sticker
     * ({@code imageMessage}, {@code videoMessage}, … on the wire).
     *
     * @param kind     which of the five; the API {@code type}
     * @param media    the file's description and, once stored, its URL (or the download's error)
     * @param caption  the caption (images, videos, documents)
     * @param viewOnce sent as view-once (the wire's {@code viewOnceMessage} wrappers or {@code viewOnce} flag)
     */
    public record Media(MediaType kind, MediaInfo media, Optional<String> caption, boolean viewOnce)
            implements Body {
        public Media {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(media, "media");
            Objects.requireNonNull(caption, "caption");
        }

        @Override
        public String type() {
            return kind.wireName();
        }

        /** The same message with its stored file's URL, or its download's error. */
        public Media withMedia(MediaInfo media) {
            return new Media(kind, media, caption, viewOnce);
        }
    }

    /**
     * A point on the map ({@code locationMessage}): {@code location:{latitude, longitude, name?, address?}}, in
     * degrees (WGS 84).
     */
    public record Location(double latitude, double longitude, Optional<String> name, Optional<String> address)
            implements Body, OutgoingContent {
        public Location {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(address, "address");
            if (!(latitude >= -90 && latitude <= 90 && longitude >= -180 && longitude <= 180)) {
                throw new IllegalArgumentException("latitude is in [-90, 90] and longitude in [-180, 180]");
            }
        }

        @Override
        public String type() {
            return "location";
        }

        Map<String, Object> wireForm() {
            var wire = new LinkedHashMap<String, Object>();
            wire.put("latitude", latitude);
            wire.put("longitude", longitude);
            name.ifPresent(v -> wire.put("name", v));
            address.ifPresent(v -> wire.put("address", v));
            return wire;
        }
    }

    /** One or more contact cards ({@code contactMessage}, or {@code contactsArrayMessage} for several). */
    public record Contacts(List<ContactCard> contacts) implements Body, OutgoingContent {
        public Contacts {
            contacts = List.copyOf(contacts);
            if (contacts.isEmpty()) {
                throw new IllegalArgumentException("a contact message carries at least one card");
            }
        }

        @Override
        public String type() {
            return "contact";
        }
    }

    /**
     * A reaction ({@code reactionMessage}) to the message {@code messageId} of the same chat:
     * {@code reaction:{message_id, emoji}}; an empty emoji removes the sender's earlier reaction.
     */
    public record Reaction(MessageId messageId, String emoji) implements Body, OutgoingContent {
        public Reaction {
            Objects.requireNonNull(messageId, "messageId");
            Objects.requireNonNull(emoji, "emoji");
        }

        @Override
        public String type() {
            return "reaction";
        }
    }

    /**
     * A poll ({@code pollCreationMessage} and its V2/V3 forms): {@code poll:{question, options, multiple}}.
     *
     * @param multiple whether a voter may choose several options (else one)
     */
    public record Poll(String question, List<String> options, boolean multiple) implements Body, OutgoingContent {
        public Poll {
            Objects.requireNonNull(question, "question");
            options = List.copyOf(options);
        }

        @Override
        public String type() {
            return "poll";
        }
    }

    /**
     * A vote on the poll {@code pollId} ({@code pollUpdateMessage}, decrypted with the poll's secret):
     * {@code poll_vote:{message_id, options}}, the names of every option the voter now chooses (empty: the vote was
     * withdrawn).
     */
    public record PollVote(MessageId pollId, List<String> options) implements Body {
        public PollVote {
            Objects.requireNonNull(pollId, "pollId");
            options = List.copyOf(options);
        }

        @Override
        public String type() {
            return "poll_vote";
        }
    }

    /**
     * A deleted message's body: what a revoked message keeps ({@link #asRevoked}), what the {@code revoked} event
     * shows for an id this gateway never stored, and the body of our own revoke's protocol message.
     */
    public record Revoked() implements Body {
        @Override
        public String type() {
            return "revoked";
        }
    }

    /** A text message ({@code conversation} or {@code extendedTextMessage} on the wire). */
    public record Text(String text) implements Body {
        public Text {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String type() {
            return "text";
        }
    }

    /**
     * A message that could not be decrypted even after the retry flow (issue 10, "Bad input and failure"): it is
     * announced with {@code undecryptable: true} rather than dropped in silence.
     *
     * @param type the stanza's {@code type} attribute ({@code text}, {@code media}, …), all that is known
     */
    public record Undecryptable(String type) implements Body {
        public Undecryptable {
            Objects.requireNonNull(type, "type");
        }
    }

    /** The message replied to: its id and who wrote it. */
    public record Quoted(MessageId id, Jid sender) {
        public Quoted {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(sender, "sender");
        }
    }

    public Message {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(chatJid, "chatJid");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(quoted, "quoted");
        Objects.requireNonNull(participant, "participant");
        Objects.requireNonNull(editedAt, "editedAt");
        mentions = List.copyOf(mentions);
        if (chatJid.hasDevice() || !(chatJid.isPhone() || chatJid.isLid() || chatJid.isGroup()
                || chatJid.isStatusBroadcast())) {
            throw new IllegalArgumentException("a chat is an account, a group or status@broadcast, not " + chatJid);
        }
        if (participant.isPresent() != (chatJid.isGroup() || chatJid.isStatusBroadcast())) {
            throw new IllegalArgumentException("a group message or status update names its participant (its "
                    + "author); a 1:1 message does not");
        }
        participant = participant.map(Jid::toNonDevice);
        if (!fromMe && (status == MessageStatus.QUEUED || status == MessageStatus.SENT
                || status == MessageStatus.FAILED)) {
            throw new IllegalArgumentException("a received message is delivered or read, not " + status);
        }
    }

    public boolean isGroup() {
        return chatJid.isGroup();
    }

    /** A status update (a story), posted to {@code status@broadcast} by its participant. */
    public boolean isStatus() {
        return chatJid.isStatusBroadcast();
    }

    /** The same message with a new body (an edit's text or caption, a stored file's URL). */
    public Message withBody(Body newBody) {
        return new Message(id, chatJid, fromMe, sender, timestamp, status, newBody, quoted, mentions, participant,
                fromHistory, editedAt, revoked);
    }

    /** The same message, edited at {@code at} to say {@code newBody}. */
    public Message edited(Body newBody, Instant at) {
        return new Message(id, chatJid, fromMe, sender, timestamp, status, newBody, quoted, mentions, participant,
                fromHistory, Optional.of(at), revoked);
    }

    /**
     * The same message, revoked (deleted for everyone): flagged {@code revoked}, its body dropped (a {@link Revoked}
     * body, API {@code type} "revoked"), so no text, caption, file or other content of a deleted message is kept or
     * shown; its id, chat, sender, times, status, quote and mentions stay.
     */
    public Message asRevoked() {
        return new Message(id, chatJid, fromMe, sender, timestamp, status, new Revoked(), quoted, mentions,
                participant, fromHistory, editedAt, true);
    }

    /** The wire form, in the order of API.md. */
    public Map<String, Object> wireForm() {
        var wire = new LinkedHashMap<String, Object>();
        wire.put("id", id.value());
        wire.put("chat_jid", chatJid.toString());
        wire.put("from_me", fromMe);
        wire.put("sender", sender.wireForm());
        wire.put("timestamp", timestamp.toString());
        wire.put("type", body.type());
        wire.put("status", status.wireName());
        switch (body) {
            case Text text -> wire.put("text", text.text());
            case Undecryptable ignored -> wire.put("undecryptable", true);
            case Media media -> {
                media.caption().ifPresent(c -> wire.put("caption", c));
                wire.put("media", media.media().wireForm());
                if (media.viewOnce()) {
                    wire.put("view_once", true);
                }
            }
            case Location location -> wire.put("location", location.wireForm());
            case Contacts contacts -> wire.put("contacts",
                    contacts.contacts().stream().map(ContactCard::wireForm).toList());
            case Reaction reaction -> wire.put("reaction",
                    Map.of("message_id", reaction.messageId().value(), "emoji", reaction.emoji()));
            case Poll poll -> {
                var wirePoll = new LinkedHashMap<String, Object>();
                wirePoll.put("question", poll.question());
                wirePoll.put("options", poll.options());
                wirePoll.put("multiple", poll.multiple());
                wire.put("poll", wirePoll);
            }
            case PollVote vote -> wire.put("poll_vote",
                    Map.of("message_id", vote.pollId().value(), "options", vote.options()));
            case Revoked ignored -> { }
        }
        quoted.ifPresent(q -> wire.put("quoted", Map.of("id", q.id().value(), "sender", q.sender().toString())));
        if (!mentions.isEmpty()) {
            wire.put("mentions", mentions.stream().map(Jid::toString).toList());
        }
        editedAt.ifPresent(at -> wire.put("edited_at", at.toString()));
        if (revoked) {
            wire.put("revoked", true);
        }
        wire.put("is_group", isGroup());
        participant.ifPresent(p -> wire.put("participant", p.toString()));
        if (fromHistory) {
            wire.put("from_history", true);
        }
        return wire;
    }
}
