package ponte.application.model;

import java.util.List;

/**
 * A group just created, and what became of each participant asked for (API.md "Groups"): WhatsApp's create answers
 * per participant as an add does, and one it did not add (their privacy settings let nobody add them: 403) is not in
 * {@code group} but is reported here.
 *
 * @param group        the group as WhatsApp created it
 * @param participants one result per participant, in the order given: 200 added, else WhatsApp's code for them
 */
public record GroupCreated(Group group, List<GroupParticipantResult> participants) {
    public GroupCreated {
        participants = List.copyOf(participants);
    }
}
