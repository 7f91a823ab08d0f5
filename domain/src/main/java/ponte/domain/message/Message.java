package ponte.domain.message;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A message as the API shows it, in events and from the store (API.md "The message object"). For text messages:
 * <pre>{@code
 * {id, chat_jid, from_me, sender:{jid, lid, push_name}, timestamp, type:"text", status, text,
 *  quoted?:{id, sender}, mentions?:[jid…], is_group, participant?, from_history?, undecryptable?}
 * }</pre>
 * {@code id} is WhatsApp's own id, the same in every later receipt, edit and event. {@code timestamp} is ISO-8601
 * UTC, the time the sender's client gave the message (the stanza's {@code t}). Optional fields are left out when
 * absent; {@code from_history} and {@code undecryptable} only appear when true.
 *
 * @param chatJid     the chat: the other person's JID in a 1:1 chat, the group's in a group
 * @param participant in a group, the member who wrote it (the account, no device); empty in a 1:1 chat
 * @param status      for our messages, how far they went ({@link OutgoingStatus}); a received message shows
 *                    {@code delivered}, or {@code read} once marked read
 */
public record Message(MessageId id, Jid chatJid, boolean fromMe, Sender sender, Instant timestamp,
                      MessageStatus status, Body body, Optional<Quoted> quoted, List<Jid> mentions,
                      Optional<Jid> participant, boolean fromHistory) {

    /** What the message says; each kind is one API {@code type}. */
    public sealed interface Body {
        /** The API's {@code type} for this body. */
        String type();
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
        }
        quoted.ifPresent(q -> wire.put("quoted", Map.of("id", q.id().value(), "sender", q.sender().toString())));
        if (!mentions.isEmpty()) {
            wire.put("mentions", mentions.stream().map(Jid::toString).toList());
        }
        wire.put("is_group", isGroup());
        participant.ifPresent(p -> wire.put("participant", p.toString()));
        if (fromHistory) {
            wire.put("from_history", true);
        }
        return wire;
    }
}
