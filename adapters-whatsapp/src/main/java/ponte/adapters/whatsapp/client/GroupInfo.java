package ponte.adapters.whatsapp.client;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A group as the server describes it: in answer to {@code <iq xmlns=w:g2 type=get to=gid><query
 * request=interactive/></iq>}, to a create, to the list of the groups we are in, or inside a {@code w:gp2} create
 * notification (protocol.md §1.14, §1.21; whatsmeow group.go {@code parseGroupNode}, Baileys groups.ts
 * {@code extractGroupMetadata}): {@code <group id subject creator creation addressing_mode><participant
 * jid [lid|phone_number] [type]/>…[<description id><body>…</body></description>][<announcement/>][<locked/>]
 * </group>}.
 *
 * @param jid            the group's JID, {@code …@g.us}
 * @param subject        its name, empty when the server gave none
 * @param addressingMode {@code pn} or {@code lid}: how participants and senders are named
 * @param participants   its members, in the server's order
 * @param description    its description (the body of {@code <description>}), when it has one
 * @param descriptionId  the id of that description, which a change names as {@code prev}
 * @param creator        the JID of the account that created it, when told
 * @param created        when it was created ({@code creation}, whole seconds), when told
 * @param announce       only admins may send messages ({@code <announcement/>})
 * @param locked         only admins may edit its subject, description and settings ({@code <locked/>})
 * @param refused        in a create's answer, the asked participants the server did not add: a
 *                       {@code <participant jid error/>} each (403 their privacy settings, 404 no such account;
 *                       whatsmeow's {@code GroupParticipant.Error}); empty elsewhere
 */
public record GroupInfo(String jid, String subject, String addressingMode, List<Participant> participants,
        Optional<String> description, Optional<String> descriptionId, Optional<String> creator,
        Optional<Instant> created, boolean announce, boolean locked, List<ParticipantOutcome> refused) {

    public GroupInfo {
        participants = List.copyOf(participants);
        refused = List.copyOf(refused);
    }

    /**
     * One participant: its JID in the group's addressing mode, its other name when the server tells it (the LID of
     * a PN participant, the phone number of a LID one) and its role ({@code superadmin}, {@code admin} or empty).
     */
    public record Participant(String jid, Optional<String> other, String role) {

        /** Whether it may change the group: an admin or the superadmin. */
        public boolean admin() {
            return role.equals("admin") || role.equals("superadmin");
        }
    }

    /** Whether participants (and our own sender identity) are LIDs. */
    public boolean lidAddressed() {
        return addressingMode.equals("lid");
    }
}
