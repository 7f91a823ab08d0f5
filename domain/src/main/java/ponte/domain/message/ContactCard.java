package ponte.domain.message;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import ponte.domain.validation.Violations;

/**
 * One contact card of a {@code contact} message: API.md's {@code {name, phones:[...], org?, email?}}. On the wire it
 * travels as vCard 3.0 text ({@link #vcard()}); a received card is read back with {@link #fromVcard} and keeps the
 * text it came as.
 *
 * @param name   the name shown (vCard {@code FN}), required
 * @param phones the numbers, as given (digits or {@code +E.164}); a number WhatsApp knows gets a {@code waid}
 * @param org    the company (vCard {@code ORG})
 * @param email  an e-mail address (vCard {@code EMAIL})
 */
public record ContactCard(String name, List<String> phones, Optional<String> org, Optional<String> email) {
    /** The most cards one message carries (WhatsApp's own client stops at a few hundred; this is the API's cap). */
    public static final int MAX_CARDS = 100;

    public ContactCard {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(email, "email");
        phones = List.copyOf(phones);
    }

    /** Adds the problems of one card as the API's field {@code field} (e.g. {@code contacts[0]}) to {@code problems}. */
    static void check(Violations problems, String field, String name, List<String> phones) {
        if (name == null || name.isBlank()) {
            problems.add(field + ".name", "is required and must not be blank");
        } else {
            problems.check(name.length() <= 256, field + ".name", "must be at most 256 characters");
        }
        if (phones == null || phones.isEmpty()) {
            problems.add(field + ".phones", "must list at least one number");
            return;
        }
        for (int i = 0; i < phones.size(); i++) {
            var phone = phones.get(i);
            problems.check(phone != null && phone.matches("\\+?[0-9][0-9 ()\\-]{3,30}"), field + ".phones[" + i + "]",
                    "must be a phone number (digits, optionally +E.164)");
        }
    }

    /** The card as vCard 3.0, the text WhatsApp's {@code ContactMessage.vcard} carries. */
    public String vcard() {
        var out = new StringBuilder("BEGIN:VCARD\nVERSION:3.0\n");
        out.append("FN:").append(escape(name)).append('\n');
        org.ifPresent(o -> out.append("ORG:").append(escape(o)).append(";\n"));
        for (var phone : phones) {
            var digits = phone.replaceAll("[^0-9]", "");
            out.append("TEL;type=CELL;type=VOICE;waid=").append(digits).append(":+").append(digits).append('\n');
        }
        email.ifPresent(e -> out.append("EMAIL:").append(escape(e)).append('\n'));
        return out.append("END:VCARD").toString();
    }

    /**
     * Reads the card out of a received vCard: {@code FN} (else {@code displayName}), each {@code TEL} (its
     * {@code waid} when present, else its value), the first {@code ORG} component and the first {@code EMAIL}.
     * Lines it does not know are ignored; folded lines (RFC 6350 §3.2) are unfolded.
     */
    public static ContactCard fromVcard(String displayName, String vcard) {
        String name = null;
        String org = null;
        String email = null;
        var phones = new ArrayList<String>();
        for (var line : (vcard == null ? "" : vcard).replace("\r\n", "\n").replace("\n ", "").split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            var head = line.substring(0, colon);
            var value = unescape(line.substring(colon + 1));
            var property = head.split(";", 2)[0].toUpperCase(java.util.Locale.ROOT);
            property = property.substring(property.indexOf('.') + 1); // item1.TEL → TEL
            switch (property) {
                case "FN" -> name = name == null ? value : name;
                case "ORG" -> org = org == null ? value.split(";", 2)[0] : org;
                case "EMAIL" -> email = email == null ? value : email;
                case "TEL" -> {
                    var waid = java.util.regex.Pattern.compile("waid=([0-9]+)").matcher(head);
                    phones.add(waid.find() ? "+" + waid.group(1) : value);
                }
                default -> { }
            }
        }
        var shown = name != null && !name.isBlank() ? name : displayName == null ? "" : displayName;
        return new ContactCard(shown, phones, Optional.ofNullable(org).filter(o -> !o.isBlank()),
                Optional.ofNullable(email).filter(e -> !e.isBlank()));
    }

    /** The wire form: {@code {name, phones, org?, email?}}. */
    public Map<String, Object> wireForm() {
        var wire = new LinkedHashMap<String, Object>();
        wire.put("name", name);
        wire.put("phones", phones);
        org.ifPresent(v -> wire.put("org", v));
        email.ifPresent(v -> wire.put("email", v));
        return wire;
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;");
    }

    private static String unescape(String text) {
        return text.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\");
    }
}
