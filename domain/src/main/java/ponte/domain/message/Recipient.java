package ponte.domain.message;

import java.util.ArrayList;
import java.util.List;
import ponte.domain.validation.ValidationException;

/**
 * Whom a message goes to, read once from the API's {@code to} (or a mention) and never re-parsed downstream.
 *
 * <ul>
 *   <li>{@link Phone}: digits, {@code +E.164} (spaces, dashes, dots and parentheses tolerated) or a phone-number
 *       JID {@code <digits>@s.whatsapp.net}. A number must be checked with the server (a usync query) before
 *       anything is queued: {@link Phone#candidates()} lists, in order of preference, the JIDs to ask about, and
 *       the first one the server knows is the chat. None known → 400 {@code VALIDATION_ERROR} on {@code to}.</li>
 *   <li>{@link Lid}: an {@code <digits>@lid} JID, checked with the server as a number is (whether it lists any
 *       device for it).</li>
 *   <li>{@link Group}: a group JID {@code …@g.us}; the caller checks that we are in it.</li>
 * </ul>
 * A JID naming one device ({@code :3}) or an agent ({@code _1}), and any other server, is refused: a message goes
 * to an account or a group, and WhatsApp fans it out to the devices itself.
 */
public sealed interface Recipient {

    /** The JID of this recipient when no server check is needed; a phone number's first candidate otherwise. */
    Jid jid();

    /** A phone number in E.164 digits (no '+'), with the JIDs worth asking the server about, best first. */
    record Phone(String digits, List<Jid> candidates) implements Recipient {
        public Phone {
            candidates = List.copyOf(candidates);
            if (candidates.isEmpty()) {
                throw new IllegalArgumentException("a number has at least one candidate JID");
            }
        }

        @Override
        public Jid jid() {
            return candidates.getFirst();
        }
    }

    /** An account named by its LID. */
    record Lid(Jid jid) implements Recipient {
        public Lid {
            if (!jid.isLid() || jid.hasDevice()) {
                throw new IllegalArgumentException("not an account LID: " + jid);
            }
        }
    }

    /** A group. */
    record Group(Jid jid) implements Recipient {
        public Group {
            if (!jid.isGroup()) {
                throw new IllegalArgumentException("not a group JID: " + jid);
            }
        }
    }

    /**
     * Reads {@code input}; any problem is a {@link ValidationException} on {@code field} with a sentence saying what
     * is accepted.
     */
    static Recipient parse(String field, String input) {
        if (input == null || input.isBlank()) {
            throw ValidationException.of(field, "is required: a phone number with its country code, a JID "
                    + "(…@s.whatsapp.net or …@lid) or a group JID (…@g.us)");
        }
        var text = input.strip();
        if (text.indexOf('@') >= 0) {
            return parseJid(field, text);
        }
        return phone(field, PhoneNumbers.digits(field, text));
    }

    private static Recipient parseJid(String field, String text) {
        var jid = Jid.parse(text).orElseThrow(() -> ValidationException.of(field, "'" + text
                + "' is not a JID this API sends to: use <number>@s.whatsapp.net, <lid>@lid or <group>@g.us"));
        if (jid.hasDevice()) {
            throw ValidationException.of(field, "'" + text + "' names one device; send to the account "
                    + jid.toNonDevice() + " instead");
        }
        return switch (jid.server()) {
            case Jid.PHONE_SERVER -> phone(field, PhoneNumbers.checkLength(field, jid.user()));
            case Jid.LID_SERVER -> new Lid(jid);
            case Jid.GROUP_SERVER -> new Group(jid);
            default -> throw ValidationException.of(field, "cannot send to " + jid.server()
                    + " addresses: use <number>@s.whatsapp.net, <lid>@lid or <group>@g.us");
        };
    }

    private static Phone phone(String field, String digits) {
        var candidates = new ArrayList<Jid>();
        for (var form : PhoneNumbers.mobileForms(digits)) {
            candidates.add(Jid.phone(form));
        }
        return new Phone(digits, candidates);
    }
}
