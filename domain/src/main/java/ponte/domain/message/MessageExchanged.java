package ponte.domain.message;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A message went through this instance: the domain event behind one {@code message.exchange} event, data
 * {@code {type: received|sent, message:{…the message object…}}} (API.md "Events"). {@code sent} covers sends from
 * the API and from the user's phone or other devices; one WhatsApp message is one {@code received} event however
 * often the server redelivers it (the caller stores by id and announces only the first).
 */
public record MessageExchanged(Kind kind, Message message) {
    /** The subtypes this domain produces today; edits, revokes, reactions and poll votes come with their types. */
    public enum Kind {
        RECEIVED, SENT;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public MessageExchanged {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
        if (message.fromMe() != (kind == Kind.SENT)) {
            throw new IllegalArgumentException("sent is for our own messages, received for everyone else's");
        }
    }

    public static MessageExchanged of(Message message) {
        return new MessageExchanged(message.fromMe() ? Kind.SENT : Kind.RECEIVED, message);
    }

    /** The event's {@code data}. */
    public Map<String, Object> data() {
        var data = new LinkedHashMap<String, Object>();
        data.put("type", kind.wireName());
        data.put("message", message.wireForm());
        return data;
    }
}
