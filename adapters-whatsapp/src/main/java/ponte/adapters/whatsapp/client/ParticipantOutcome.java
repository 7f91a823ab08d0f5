package ponte.adapters.whatsapp.client;

import java.util.Optional;

/**
 * One participant's outcome of a group add, remove, promote or demote ({@code <participant jid [lid|phone_number]
 * [error]/>} in the answer to the {@code w:g2} IQ): the JID the server names it by, its other name when told (LID or
 * phone number), and the server's error code for it: 0 when applied; 403 not allowed (its privacy settings), 404
 * not found (no such account, or not a member), 408 it left the group recently, 409 already a member (whatsmeow
 * group.go {@code parseParticipant}; issue 12).
 */
public record ParticipantOutcome(String jid, Optional<String> other, int error) {

    /** Whether the change was applied to this participant. */
    public boolean applied() {
        return error == 0;
    }
}
