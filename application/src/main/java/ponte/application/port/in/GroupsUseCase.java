package ponte.application.port.in;

import java.util.List;
import java.util.Optional;
import ponte.application.model.Group;
import ponte.application.model.GroupCreated;
import ponte.application.model.GroupInvite;
import ponte.application.model.GroupParticipantResult;
import ponte.domain.auth.Principal;

/**
 * Groups through the API (API.md "Groups"): list, read, create and change the groups of an instance's account. Every
 * method resolves the instance as the other instance routes do (another tenant's instance is a
 * {@code NotFoundException}) and asks WhatsApp, so it needs the instance online: an instance that never paired or is
 * not online now is a {@link ponte.application.error.NotConnectedException}. Input is validated in full before
 * WhatsApp is asked ({@link ponte.domain.validation.ValidationException}, every problem named), and a rejected
 * request changes nothing. A group the account is not in (or that does not exist) is a
 * {@link ponte.application.error.NotFoundException}; a change WhatsApp only lets admins make, asked by a member who is
 * not one, a {@link ponte.application.error.ForbiddenException}; no answer from WhatsApp in time an
 * {@link ponte.application.error.UnavailableException}.
 */
public interface GroupsUseCase {

    /** The groups the account is in. */
    List<Group> groups(Principal caller, String idOrName);

    /** One group, by JID ({@code …@g.us}, or its id alone). */
    Group group(Principal caller, String idOrName, String groupJid);

    /**
     * Creates a group with {@code subject} (1-100 characters) and {@code participants} (1-200 numbers, phone JIDs or
     * LIDs, each checked with WhatsApp: one that is not on WhatsApp is a validation error and nothing is created).
     * The result tells what became of each participant: one WhatsApp did not add (403, their privacy settings) is
     * reported, not an error.
     */
    GroupCreated create(Principal caller, String idOrName, String subject, List<String> participants);

    /**
     * Changes the given fields (at least one): subject (1-100 characters), description (0-2048; empty deletes it),
     * announce, locked. Permissions are checked against the group first: announce and locked need an admin, and so
     * do subject and description in a locked group. Returns the group as it is now.
     */
    Group update(Principal caller, String idOrName, String groupJid, Update update);

    /** The fields of a group change; absent fields stay as they are. */
    record Update(Optional<String> subject, Optional<String> description, Optional<Boolean> announce,
                  Optional<Boolean> locked) {}

    /**
     * Adds, removes, promotes or demotes ({@code action}: add, remove, promote, demote) 1-200 participants (numbers or
     * JIDs); one result per participant, in the order given: those that are not on WhatsApp are 404 and the rest are
     * applied as WhatsApp answers for each. Only admins may do this (forbidden otherwise).
     */
    List<GroupParticipantResult> participants(Principal caller, String idOrName, String groupJid, String action,
                                              List<String> participants);

    /** The group's invite code and link (WhatsApp may let only admins see it). */
    GroupInvite invite(Principal caller, String idOrName, String groupJid);

    /**
     * Joins the group of an invite code (the code or the whole {@code https://chat.whatsapp.com/…} link); returns the
     * group. An unknown or revoked code is a {@link ponte.application.error.NotFoundException}.
     */
    Group join(Principal caller, String idOrName, String code);

    /** Leaves the group; returns its JID. */
    String leave(Principal caller, String idOrName, String groupJid);
}
