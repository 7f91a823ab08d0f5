package ponte.adapters.http.routes;

import java.util.Optional;
import ponte.adapters.http.core.Access;
import ponte.adapters.http.core.Authenticator;
import ponte.adapters.http.core.Bodies;
import ponte.adapters.http.core.Routes;
import ponte.adapters.http.dto.GroupDtos;
import ponte.application.port.in.GroupsUseCase;

/**
 * The groups of an instance's account (API.md "Groups"): asked of WhatsApp while the instance is online (409
 * {@code NOT_CONNECTED} otherwise). Changes made here, and by anyone else, arrive as {@code group.flow} events.
 */
public final class GroupRoutes {
    private static final String TAG = "Groups";
    private static final String GROUP_IS = "`{jid}` is the group's JID (…@g.us, or its id alone). ";
    private static final String COMMON = " 404 when the group does not exist or the account is not in it (or the "
            + "instance is not the caller's); 409 `NOT_CONNECTED` when the instance is not online; 503 when WhatsApp "
            + "did not answer in time.";

    /** The {@code group.flow} event's data, documented once (API.md "Events"). */
    static final String FLOW = "Every change to a group the account is in, made by anyone (this API, the phone, "
            + "other members), is a `group.flow` event with `data` = `{type, group_jid, participants:[{jid, lid, "
            + "phone_number}], by:{jid, lid, phone_number}|null, …}`. `type`: `created` (with `subject`), `joined` "
            + "(someone joined by themselves, by invite link), `added` (an admin added them), `left` (someone left), "
            + "`removed` (an admin removed them), `promoted`, `demoted`, `subject` (with `subject`), `description` "
            + "(with `description`, null when deleted), `settings` (with `setting`: `announce` and `announce`, "
            + "`locked` and `locked`, `invite_link` when the link was reset, or WhatsApp's name of another "
            + "setting). `by` is who made the change. The group's cached metadata is refreshed, so the next "
            + "message to the group reaches new members.";

    private GroupRoutes() {}

    public static void register(Routes routes, GroupsUseCase groups, Bodies bodies) {
        routes.post("/v1/instances/{id}/groups").access(Access.ACCOUNT_OR_INSTANCE).tag(TAG)
                .summary("Create a group")
                .description("Creates a group with `subject` and `participants`; the instance's account is its "
                        + "superadmin. Every participant (a number, a phone JID or a LID) is checked with WhatsApp "
                        + "first: one that is not on WhatsApp is a 400 naming it, and nothing is created. WhatsApp "
                        + "answers per participant, and so does `participants` here, in the order given: 200 added, "
                        + "403 not added because their privacy settings let nobody add them (the group is created "
                        + "without them; send them the invite link). A `group.flow` event of type `created` "
                        + "follows. 400 for a subject that is blank or over 100 characters; 409 `NOT_CONNECTED` "
                        + "when the instance is not online; 503 when WhatsApp did not answer in time.")
                .body(GroupDtos.CreateBody.class).returns(201, GroupDtos.Created.class).errors(404, 409, 503)
                .handle(ctx -> {
                    var body = bodies.read(ctx, GroupDtos.CreateBody.class);
                    var created = groups.create(Authenticator.principal(ctx), ctx.pathParam("id"), body.subject(),
                            body.participants());
                    ctx.status(201).json(GroupDtos.Created.of(created));
                });
        routes.get("/v1/instances/{id}/groups").access(Access.ACCOUNT_OR_INSTANCE).tag(TAG)
                .summary("List the groups the account is in")
                .description("Every group the instance's account is a member of, with its participants, as "
                        + "WhatsApp lists them now (one page: `next_cursor` is always null). 409 `NOT_CONNECTED` "
                        + "when the instance is not online.\n\n" + FLOW)
                .returns(200, GroupDtos.Groups.class).errors(404, 409, 503)
                .handle(ctx -> ctx.json(new GroupDtos.Groups(true, groups.groups(Authenticator.principal(ctx),
                        ctx.pathParam("id")).stream().map(GroupDtos.GroupView::of).toList(), null)));
        routes.post("/v1/instances/{id}/groups/join").access(Access.ACCOUNT_OR_INSTANCE).tag(TAG)
                .summary("Join a group by its invite code")
                .description("`code` is the invite code or the whole https://chat.whatsapp.com/… link; answers "
                        + "with the group joined (joining a group the account is in changes nothing). A "
                        + "`group.flow` event of type `joined` follows. 400 for a code that is not one; 404 when no "
                        + "group has the code (unknown or revoked); 409 `NOT_CONNECTED` when the instance is not "
                        + "online.")
                .body(GroupDtos.JoinBody.class).returns(200, GroupDtos.OneGroup.class).errors(404, 409, 503)
                .handle(ctx -> {
                    var body = bodies.read(ctx, GroupDtos.JoinBody.class);
                    var group = groups.join(Authenticator.principal(ctx), ctx.pathParam("id"), body.code());
                    ctx.json(new GroupDtos.OneGroup(true, GroupDtos.GroupView.of(group)));
                });
        routes.get("/v1/instances/{id}/groups/{jid}").access(Access.ACCOUNT_OR_INSTANCE).tag(TAG)
                .summary("One group: subject, description, settings and participants")
                .description(GROUP_IS + "400 for a `{jid}` that is not a group's." + COMMON)
                .returns(200, GroupDtos.OneGroup.class).errors(400, 404, 409, 503)
                .handle(ctx -> ctx.json(new GroupDtos.OneGroup(true, GroupDtos.GroupView.of(groups.group(
                        Authenticator.principal(ctx), ctx.pathParam("id"), ctx.pathParam("jid"))))));
        routes.patch("/v1/instances/{id}/groups/{jid}").access(Access.ACCOUNT_OR_INSTANCE).tag(TAG)
                .summary("Change a group's subject, description, announce or locked")
                .description(GROUP_IS + "Changes the fields given and answers with the group as it is now; each "
                        + "change becomes a `group.flow` event (`subject`, `description`, `settings`). Checked "
                        + "before anything changes: 400 for a subject that is blank or over 100 characters, a "
                        + "description over 2048, or no field at all; 403 `FORBIDDEN` when the account is not an "
                        + "admin and the change needs one (announce and locked always; subject and description in "
                        + "a locked group)." + COMMON)
                .body(GroupDtos.UpdateBody.class).returns(200, GroupDtos.OneGroup.class).errors(403, 404, 409, 503)
                .handle(ctx -> {
                    var body = bodies.read(ctx, GroupDtos.UpdateBody.class);
                    var group = groups.update(Authenticator.principal(ctx), ctx.pathParam("id"), ctx.pathParam("jid"),
                            new GroupsUseCase.Update(Optional.ofNullable(body.subject()),
                                    Optional.ofNullable(body.description()), Optional.ofNullable(body.announce()),
                                    Optional.ofNullable(body.locked())));
                    ctx.json(new GroupDtos.OneGroup(true, GroupDtos.GroupView.of(group)));
                });
        routes.post("/v1/instances/{id}/groups/{jid}/participants").access(Access.ACCOUNT_OR_INSTANCE).tag(TAG)
                .summary("Add, remove, promote or demote participants")
                .description(GROUP_IS + "Answers one result per participant, in the order given, with WhatsApp's "
                        + "own status for each: 200 applied, 403 not allowed (their privacy settings: send them the "
                        + "invite link), 404 not on WhatsApp (or, but for add, not a member), 408 left the group "
                        + "recently, 409 already a member. The applied ones become one `group.flow` event "
                        + "(`added`, `removed`, `promoted`, `demoted`). 400 for an unknown action or no "
                        + "participants; 403 `FORBIDDEN` when the account is not an admin." + COMMON)
                .body(GroupDtos.ParticipantsBody.class).returns(200, GroupDtos.ParticipantResults.class)
                .errors(403, 404, 409, 503)
                .handle(ctx -> {
                    var body = bodies.read(ctx, GroupDtos.ParticipantsBody.class);
                    ctx.json(GroupDtos.ParticipantResults.of(groups.participants(Authenticator.principal(ctx),
                            ctx.pathParam("id"), ctx.pathParam("jid"), body.action(), body.participants())));
                });
        routes.get("/v1/instances/{id}/groups/{jid}/invite").access(Access.ACCOUNT_OR_INSTANCE).tag(TAG)
                .summary("The group's invite code and link")
                .description(GROUP_IS + "WhatsApp shows the invite link to admins only: 403 `FORBIDDEN` for a "
                        + "member who is not one." + COMMON)
                .returns(200, GroupDtos.Invite.class).errors(400, 403, 404, 409, 503)
                .handle(ctx -> ctx.json(GroupDtos.Invite.of(groups.invite(Authenticator.principal(ctx),
                        ctx.pathParam("id"), ctx.pathParam("jid")))));
        routes.post("/v1/instances/{id}/groups/{jid}/leave").access(Access.ACCOUNT_OR_INSTANCE).tag(TAG)
                .summary("Leave a group")
                .description(GROUP_IS + "A `group.flow` event of type `left` follows." + COMMON)
                .returns(200, GroupDtos.Left.class).errors(400, 404, 409, 503)
                .handle(ctx -> ctx.json(new GroupDtos.Left(true, groups.leave(Authenticator.principal(ctx),
                        ctx.pathParam("id"), ctx.pathParam("jid")))));
    }
}
