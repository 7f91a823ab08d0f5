package ponte.application.model;

import java.util.Optional;
import ponte.domain.message.Jid;

/**
 * What became of one participant of a group add, remove, promote or demote (API.md "Groups": per-participant
 * result).
 *
 * @param input  the participant as the caller gave it
 * @param jid    the account's JID, when the participant is on WhatsApp
 * @param status 200 applied; 403 not allowed (for an add: the person's privacy settings); 404 not on WhatsApp, or
 *               (remove, promote, demote) not a member; 408 left the group recently and cannot be added back yet;
 *               409 already a member; another code as WhatsApp answered it
 * @param error  a sentence for any status but 200
 */
public record GroupParticipantResult(String input, Optional<Jid> jid, int status, Optional<String> error) {}
