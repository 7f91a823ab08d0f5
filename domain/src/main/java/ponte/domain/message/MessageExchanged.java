package ponte.domain.message;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A message went through this instance: the domain event behind one {@code message.exchange} event, data
 * {@code {type: received|sent|edited|revoked|reaction|poll_vote, message:{…the message object…}}} (API.md
 * "Events"). {@code sent} covers sends from the API and from the user's phone or other devices; one WhatsApp
 * message is one {@code received} event however often the server redelivers it (the caller stores by id and
 * announces only the first). {@code edited} and {@code revoked} carry the original message (its id, the new text
 * or the {@code revoked} flag, {@code edited_at}); {@code reaction} and {@code poll_vote} the reaction or vote
 * itself, whose body points at the original id.
 */
public record MessageExchanged(Kind kind, Message message) {
    /** The event's subtypes. */
    public enum Kind {
        RECEIVED, SENT, EDITED, REVOKED, REACTION, POLL_VOTE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public MessageExchanged {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
        if ((kind == Kind.SENT || kind == Kind.RECEIVED) && message.fromMe() != (kind == Kind.SENT)) {
            throw new IllegalArgumentException("sent is for our own messages, received for everyone else's");
        }
        if ((kind == Kind.REACTION) != (message.body() instanceof Message.Reaction)
                || (kind == Kind.POLL_VOTE) != (message.body() instanceof Message.PollVote)) {
            throw new IllegalArgumentException("a reaction is a reaction event, a poll vote a poll_vote event");
        }
        if (kind == Kind.EDITED && message.editedAt().isEmpty() || kind == Kind.REVOKED && !message.revoked()) {
            throw new IllegalArgumentException("an edited event shows edited_at, a revoked one revoked");
        }
    }

    /** The event of a new message: a reaction or poll vote is its own kind, else sent or received. */
    public static MessageExchanged of(Message message) {
        return new MessageExchanged(switch (message.body()) {
            case Message.Reaction ignored -> Kind.REACTION;
            case Message.PollVote ignored -> Kind.POLL_VOTE;
            default -> message.fromMe() ? Kind.SENT : Kind.RECEIVED;
        }, message);
    }

    /** The event's {@code data}. */
    public Map<String, Object> data() {
        var data = new LinkedHashMap<String, Object>();
        data.put("type", kind.wireName());
        data.put("message", message.wireForm());
        return data;
    }
}
