package ponte.application.model;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import ponte.domain.message.Jid;

/**
 * A WhatsApp group as its metadata tells it (API.md "Groups": the group object).
 *
 * @param jid          the group's JID, {@code …@g.us}
 * @param subject      its name
 * @param description  its description, when it has one
 * @param owner        the account that created it (its phone-number JID, or LID when the number is not told)
 * @param createdAt    when it was created (whole seconds), when told
 * @param announce     only admins may send messages
 * @param locked       only admins may change its subject, description and settings
 * @param participants its members, in WhatsApp's order
 */
public record Group(Jid jid, String subject, Optional<String> description, Optional<Jid> owner,
                    Optional<Instant> createdAt, boolean announce, boolean locked, List<Participant> participants) {

    public Group {
        participants = List.copyOf(participants);
    }

    /**
     * One member: {@code jid} its phone-number JID when known (else its LID), {@code lid} its LID when known,
     * {@code phoneNumber} its number's digits when known; {@code admin} for admins and the superadmin (the creator,
     * unless it left), {@code superAdmin} for the latter only.
     */
    public record Participant(Jid jid, Optional<Jid> lid, Optional<String> phoneNumber, boolean admin,
                              boolean superAdmin) {}

    /** The member that is this account ({@code phone} its number's JID, {@code lid} its LID), if any. */
    public Optional<Participant> member(Jid phone, Optional<Jid> lid) {
        return participants.stream().filter(p -> p.jid().equals(phone) || lid.isPresent()
                && (p.jid().equals(lid.get()) || p.lid().equals(lid))).findFirst();
    }
}
