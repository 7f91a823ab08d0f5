package ponte.domain.message;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Who wrote a message: {@code {jid, lid, push_name}}, with both the phone-number JID and the LID when known
 * (API.md "Events": "Message data carries both the phone-number JID and the LID when known"). The server names a
 * sender by one of them and may add the other in the stanza's {@code sender_pn}/{@code sender_lid} or
 * {@code participant_pn}/{@code participant_lid} attributes (protocol.md §1.13); the LID map fills the rest.
 *
 * @param jid      the account's phone-number JID ({@code …@s.whatsapp.net}), when known
 * @param lid      the account's LID ({@code …@lid}), when known
 * @param pushName the name the sender set for themself, when the message carried it
 */
public record Sender(Optional<Jid> jid, Optional<Jid> lid, Optional<String> pushName) {
    public Sender {
        Objects.requireNonNull(jid, "jid");
        Objects.requireNonNull(lid, "lid");
        Objects.requireNonNull(pushName, "pushName");
        jid = jid.map(Jid::toNonDevice);
        lid = lid.map(Jid::toNonDevice);
        if (jid.isEmpty() && lid.isEmpty()) {
            throw new IllegalArgumentException("a sender is known by a phone-number JID, a LID or both");
        }
        if (jid.isPresent() && !jid.get().isPhone() || lid.isPresent() && !lid.get().isLid()) {
            throw new IllegalArgumentException("jid is a phone-number JID and lid a LID");
        }
    }

    /**
     * The sender as the server named it (a phone-number JID or a LID, any device), with the other name when the
     * stanza or the LID map gave it.
     */
    public static Sender of(Jid addressedAs, Optional<Jid> other, Optional<String> pushName) {
        if (other.isPresent() && other.get().isPhone() == addressedAs.isPhone()) {
            throw new IllegalArgumentException("the other name of " + addressedAs + " is of the other kind");
        }
        var phone = addressedAs.isPhone() ? Optional.of(addressedAs) : other;
        var lid = addressedAs.isPhone() ? other : Optional.of(addressedAs);
        return new Sender(phone, lid, pushName);
    }

    /** The wire form: every key present, unknown ones null, so receivers always find the same shape. */
    public Map<String, Object> wireForm() {
        var wire = new LinkedHashMap<String, Object>();
        wire.put("jid", jid.map(Jid::toString).orElse(null));
        wire.put("lid", lid.map(Jid::toString).orElse(null));
        wire.put("push_name", pushName.orElse(null));
        return wire;
    }
}
