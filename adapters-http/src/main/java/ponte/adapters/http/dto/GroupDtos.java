package ponte.adapters.http.dto;

import java.time.Instant;
import java.util.List;
import ponte.adapters.http.openapi.Doc;
import ponte.adapters.http.openapi.Example;
import ponte.adapters.http.openapi.Nullable;
import ponte.application.model.Group;
import ponte.application.model.GroupInvite;
import ponte.application.model.GroupCreated;
import ponte.application.model.GroupParticipantResult;
import ponte.domain.message.Jid;

/** Bodies of the group routes (API.md "Groups"): the group object, its changes and their results. */
public final class GroupDtos {
    private GroupDtos() {}

    @Doc("A new group: its name and the people to add")
    @Example("{\"subject\": \"Entregas da semana\", \"participants\": [\"5511987650002\", \"5511987650003\"]}")
    public record CreateBody(
            @Doc("The group's name, 1-100 characters (WhatsApp's limit)") @Example("Entregas da semana")
            String subject,
            @Doc("0-200 people: phone numbers with their country code (digits or +E.164), phone JIDs or LIDs; each "
                    + "is checked with WhatsApp first, and one that is not on WhatsApp is a 400 (nothing is created)")
            List<String> participants) {}

    @Doc("The group fields to change; absent (or null) fields stay as they are, and at least one is required")
    @Example("{\"subject\": \"Entregas — novembro\", \"announce\": true}")
    public record UpdateBody(
            @Doc("A new name, 1-100 characters") @Nullable String subject,
            @Doc("A new description, 0-2048 characters; an empty string deletes it") @Nullable String description,
            @Doc("true: only admins may send messages; false: every member may (admins only)")
            @Nullable Boolean announce,
            @Doc("true: only admins may change the subject, description and settings; false: every member may "
                    + "(admins only)") @Nullable Boolean locked) {}

    @Doc("A participants change")
    @Example("{\"action\": \"add\", \"participants\": [\"5511987650004\"]}")
    public record ParticipantsBody(
            @Doc("add, remove, promote (make admin) or demote (take admin away)") @Example("add") String action,
            @Doc("1-200 people: phone numbers (digits or +E.164), phone JIDs or LIDs") List<String> participants) {}

    @Doc("An invite code to join with")
    @Example("{\"code\": \"AbCdEfGhIjKlMnOpQrStUv\"}")
    public record JoinBody(@Doc("The invite code, or the whole https://chat.whatsapp.com/<code> link") String code) {}

    @Doc("A member of a group")
    public record ParticipantView(
            @Doc("The member's phone-number JID, or its LID when WhatsApp does not tell the number")
            @Example("5511987650002@s.whatsapp.net") String jid,
            @Doc("The member's LID, when known") @Nullable String lid,
            @Doc("The phone number's digits, when known") @Nullable String phoneNumber,
            @Doc("An admin (the creator, as superadmin, included)") boolean admin,
            @Doc("The superadmin: the group's creator while in it") boolean superAdmin) {
        static ParticipantView of(Group.Participant participant) {
            return new ParticipantView(participant.jid().toString(),
                    participant.lid().map(Jid::toString).orElse(null), participant.phoneNumber().orElse(null),
                    participant.admin(), participant.superAdmin());
        }
    }

    @Doc("A WhatsApp group, as its metadata tells it")
    public record GroupView(
            @Doc("The group's JID") @Example("120363012345678901@g.us") String jid,
            @Doc("Its name") String subject,
            @Doc("Its description; null when it has none") @Nullable String description,
            @Doc("The account that created it (phone-number JID when known)") @Nullable String owner,
            @Doc("When it was created") @Nullable Instant createdAt,
            @Doc("Only admins may send messages") boolean announce,
            @Doc("Only admins may change its subject, description and settings") boolean locked,
            @Doc("Its members, in WhatsApp's order") List<ParticipantView> participants) {
        public static GroupView of(Group group) {
            return new GroupView(group.jid().toString(), group.subject(), group.description().orElse(null),
                    group.owner().map(Jid::toString).orElse(null), group.createdAt().orElse(null),
                    group.announce(), group.locked(),
                    group.participants().stream().map(ParticipantView::of).toList());
        }
    }

    public record OneGroup(boolean success, GroupView group) {}

    public record Created(boolean success, GroupView group,
                          @Doc("What became of each participant asked for, in the order given: 200 added; 403 "
                                  + "not added, their privacy settings let nobody add them (send them the invite "
                                  + "link instead)") List<ParticipantResultView> participants) {
        public static Created of(GroupCreated created) {
            return new Created(true, GroupView.of(created.group()), created.participants().stream()
                    .map(ParticipantResultView::of).toList());
        }
    }

    public record Groups(boolean success, @Doc("Every group the account is in (not paged)") List<GroupView> data,
                         @Doc("Always null: the list is whole") @Nullable String nextCursor) {}

    @Doc("What became of one participant")
    public record ParticipantResultView(
            @Doc("The participant as given") @Example("5511987650004") String participant,
            @Doc("The account's JID; null when it is not on WhatsApp") @Nullable String jid,
            @Doc("200 applied; 403 not allowed (for add: the person's privacy settings; send the invite link "
                    + "instead); 404 not on WhatsApp, or (remove, promote, demote) not a member; 408 left the group "
                    + "recently, cannot be added back yet; 409 already a member") @Example("200") int status,
            @Doc("Why it was not applied; null for 200") @Nullable String error) {
        static ParticipantResultView of(GroupParticipantResult result) {
            return new ParticipantResultView(result.input(), result.jid().map(Jid::toString).orElse(null),
                    result.status(), result.error().orElse(null));
        }
    }

    public record ParticipantResults(boolean success, @Doc("One result per participant, in the order given")
                                     List<ParticipantResultView> data) {
        public static ParticipantResults of(List<GroupParticipantResult> results) {
            return new ParticipantResults(true, results.stream().map(ParticipantResultView::of).toList());
        }
    }

    public record Invite(boolean success, @Doc("The invite code") @Example("AbCdEfGhIjKlMnOpQrStUv") String code,
                         @Doc("The invite link") @Example("https://chat.whatsapp.com/AbCdEfGhIjKlMnOpQrStUv")
                         String url) {
        public static Invite of(GroupInvite invite) {
            return new Invite(true, invite.code(), invite.url());
        }
    }

    public record Left(boolean success, @Doc("The group left") @Example("120363012345678901@g.us") String jid) {}
}
