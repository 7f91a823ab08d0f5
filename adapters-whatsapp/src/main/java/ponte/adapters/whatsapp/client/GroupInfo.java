package ponte.adapters.whatsapp.client;

import java.util.List;
import java.util.Optional;

/**
 * A group as the server describes it in answer to {@code <iq xmlns=w:g2 type=get to=gid><query
 * request=interactive/></iq>} (protocol.md §1.14; whatsmeow group.go {@code parseGroupNode}): its JID
 * ({@code …@g.us}), subject, addressing mode ({@code pn} or {@code lid}: how participants and senders are named) and
 * participants.
 */
public record GroupInfo(String jid, String subject, String addressingMode, List<Participant> participants) {

    public GroupInfo {
        participants = List.copyOf(participants);
    }

    /**
     * One participant: its JID in the group's addressing mode, its other name when the server tells it (the LID of
     * a PN participant, the phone number of a LID one) and its role ({@code superadmin}, {@code admin} or empty).
     */
    public record Participant(String jid, Optional<String> other, String role) {
    }

    /** Whether participants (and our own sender identity) are LIDs. */
    public boolean lidAddressed() {
        return addressingMode.equals("lid");
    }
}
