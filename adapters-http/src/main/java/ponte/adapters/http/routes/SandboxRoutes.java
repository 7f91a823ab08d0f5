package ponte.adapters.http.routes;

import java.util.Base64;
import ponte.adapters.http.core.Access;
import ponte.adapters.http.core.Bodies;
import ponte.adapters.http.core.Routes;
import ponte.adapters.http.dto.SandboxDtos;
import ponte.application.port.in.SandboxUseCase;

/** The simulated WhatsApp network's routes, for the server operator. */
public final class SandboxRoutes {
    private SandboxRoutes() {}

    public static void register(Routes routes, SandboxUseCase sandbox, Bodies bodies) {
        routes.get("/v1/sandbox/info").access(Access.ADMIN).tag("Sandbox")
                .summary("Where the simulated WhatsApp network listens and the root it signs with")
                .description("404 unless the gateway runs with PONTE_WHATSAPP=sandbox.")
                .returns(200, SandboxDtos.InfoResponse.class).errors(404)
                .handle(ctx -> {
                    var info = sandbox.info();
                    ctx.json(new SandboxDtos.InfoResponse(true, new SandboxDtos.Info(info.wsUrl(),
                            Base64.getEncoder().encodeToString(info.rootPublicKey()),
                            info.mediaRootPem().orElse(null), info.replacedConnections())));
                });
        routes.post("/v1/sandbox/phones").access(Access.ADMIN).tag("Sandbox")
                .summary("Create a virtual phone: a simulated WhatsApp account that can link instances")
                .body(SandboxDtos.CreatePhone.class).returns(201, SandboxDtos.PhoneCreated.class).errors(404, 409)
                .handle(ctx -> {
                    var body = bodies.read(ctx, SandboxDtos.CreatePhone.class);
                    var phone = sandbox.createPhone(body.phoneNumber(), body.pushName());
                    ctx.status(201).json(new SandboxDtos.PhoneCreated(true, SandboxDtos.Phone.of(phone)));
                });
        routes.post("/v1/sandbox/phones/{phone}/scan").access(Access.ADMIN).tag("Sandbox")
                .summary("The phone scans an instance's QR code, as its camera would")
                .description("Answers once the instance is linked (it then reconnects and logs in). 404 when no "
                        + "connected instance shows this QR now; 409 when the instance refused the link.")
                .body(SandboxDtos.Scan.class).returns(200, SandboxDtos.Linked.class).errors(404, 409)
                .handle(ctx -> {
                    var body = bodies.read(ctx, SandboxDtos.Scan.class);
                    var device = sandbox.scan(ctx.pathParam("phone"), body.qr());
                    ctx.json(new SandboxDtos.Linked(true, SandboxDtos.Device.of(device)));
                });
        routes.get("/v1/sandbox/phones/{phone}/devices").access(Access.ADMIN).tag("Sandbox")
                .summary("The devices linked to the phone, as its Linked devices screen shows them")
                .returns(200, SandboxDtos.Devices.class).errors(404)
                .handle(ctx -> ctx.json(new SandboxDtos.Devices(true, sandbox.devices(ctx.pathParam("phone")).stream()
                        .map(SandboxDtos.Device::of).toList())));
        routes.post("/v1/sandbox/phones/{phone}/link-code").access(Access.ADMIN).tag("Sandbox")
                .summary("The phone's user types an instance's pairing code")
                .description("Answers once the instance is linked. 404 when no instance asked to link this number; "
                        + "409 when the code is wrong.")
                .body(SandboxDtos.LinkCode.class).returns(200, SandboxDtos.Linked.class).errors(404, 409)
                .handle(ctx -> {
                    var body = bodies.read(ctx, SandboxDtos.LinkCode.class);
                    var device = sandbox.linkCode(ctx.pathParam("phone"), body.code());
                    ctx.json(new SandboxDtos.Linked(true, SandboxDtos.Device.of(device)));
                });
            routes.post("/v1/sandbox/phones/{phone}/messages").access(Access.ADMIN).tag("Sandbox")
                .summary("The phone's user sends a message to another sandbox phone or to a group")
                .description("Encrypted for every device of the recipient (and, as a copy, for the sender's own "
                        + "linked devices), then carried by the simulated network; answers with WhatsApp's message "
                        + "id; to a group (`to` = its JID) as one skmsg under the phone's sender key. `text` "
                        + "is the default type; location, contact, reaction, poll, edit (`message_id` of the phone's own message, "
                        + "`text`), revoke (`message_id`) and poll_vote (`message_id` of a poll the phone received, "
                        + "`options` chosen) go 1:1 with the fields of the instance API's sends. "
                        + "400 on `to` when the recipient is not a sandbox phone (not on WhatsApp) or "
                        + "group; 404 when the sending phone does not exist; 409 when no device of the recipient "
                        + "published keys, or the phone is not in the group.")
                .body(SandboxDtos.SendMessage.class).returns(200, SandboxDtos.MessageSent.class).errors(404, 409)
                .handle(ctx -> {
                    var body = bodies.read(ctx, SandboxDtos.SendMessage.class);
                    var cards = body.contacts() == null ? null : body.contacts().stream().map(c -> c == null ? null
                            : new ponte.domain.message.OutgoingContent.CardInput(c.name(), c.phones(), c.org(),
                                    c.email())).toList();
                    var id = sandbox.sendMessage(ctx.pathParam("phone"), new SandboxUseCase.PhoneSend(body.to(),
                            body.type(), body.text(), body.latitude(), body.longitude(), body.name(), body.address(),
                            cards, body.messageId(), body.emoji(), body.question(), body.options(), body.multiple(),
                            body.replyTo()));
                    ctx.json(new SandboxDtos.MessageSent(true, new SandboxDtos.SentId(id)));
                });
        routes.get("/v1/sandbox/phones/{phone}/messages").access(Access.ADMIN).tag("Sandbox")
                .summary("What the phone received, decrypted, and the receipts it saw for its own messages")
                .description("`messages` are message objects as the instance API shows them, as far as text goes; "
                        + "`receipts` name the message, the device that sent the receipt, its type (delivered, "
                        + "read, played, ...) and when. Both oldest first.")
                .returns(200, SandboxDtos.Inbox.class).errors(404)
                .handle(ctx -> ctx.json(SandboxDtos.Inbox.of(sandbox.inbox(ctx.pathParam("phone")))));
        routes.post("/v1/sandbox/phones/{phone}/history").access(Access.ADMIN).tag("Sandbox")
                .summary("Seeds the phone's history, which it sends to every device linked afterwards")
                .description("Adds `count` texts over `chats` chats with made-up people to the phone's history "
                        + "(which also holds every 1:1 text the phone sent or received). A device linked afterwards "
                        + "gets it as history sync: inline payloads of at most 2,000 messages each, the first with "
                        + "the push names, PN-LID mappings and an NCT salt. 400 on `count` or `chats`; 404 when the "
                        + "phone does not exist.")
                .body(SandboxDtos.SeedHistory.class).returns(200, SandboxDtos.HistorySeeded.class).errors(404)
                .handle(ctx -> {
                    var body = bodies.read(ctx, SandboxDtos.SeedHistory.class);
                    int held = sandbox.seedHistory(ctx.pathParam("phone"), body.count(), body.chats());
                    ctx.json(new SandboxDtos.HistorySeeded(true, held));
                });
        routes.post("/v1/sandbox/media/expire").access(Access.ADMIN).tag("Sandbox")
                .summary("Expires files on the sandbox's media host, so the media-retry path can be tried")
                .description("Expires the file at `direct_path`, and every file `phone`'s account uploaded (give "
                        + "at least one). A download of an expired file gets 410 Gone; the receiver then asks the "
                        + "sender's device to upload it again (media retry) and downloads the new copy. An unknown "
                        + "path expires nothing. 400 when neither is given; 404 when the phone does not exist.")
                .body(SandboxDtos.ExpireMedia.class).returns(200, SandboxDtos.MediaExpired.class).errors(404)
                .handle(ctx -> {
                    var body = bodies.read(ctx, SandboxDtos.ExpireMedia.class);
                    ctx.json(new SandboxDtos.MediaExpired(true, sandbox.expireMedia(body.directPath(),
                            body.phone())));
                });
        routes.post("/v1/sandbox/phones/{phone}/media").access(Access.ADMIN).tag("Sandbox")
                .summary("The phone's user sends a file (image, video, audio, voice note, document or sticker)")
                .description("Encrypted and uploaded to the sandbox's media host as WhatsApp's clients do, then sent "
                        + "1:1 as its media message (with `expired`, the host drops the file first, so the receiver "
                        + "must ask for it again); the phone keeps the file to answer media-retry requests. 400 on "
                        + "`type`, `to` (not a sandbox phone) or `base64` (not base64, or empty); 404 when the "
                        + "sending phone does not exist.")
                .body(SandboxDtos.SendMedia.class).returns(200, SandboxDtos.MessageSent.class).errors(404, 409)
                .handle(ctx -> {
                    var body = bodies.read(ctx, SandboxDtos.SendMedia.class);
                    var id = sandbox.sendMedia(ctx.pathParam("phone"), new SandboxUseCase.PhoneMediaSend(body.to(),
                            body.type(), body.base64(), body.mimeType(), body.caption(), body.fileName(),
                            Boolean.TRUE.equals(body.expired())));
                    ctx.json(new SandboxDtos.MessageSent(true, new SandboxDtos.SentId(id)));
                });
        routes.get("/v1/sandbox/phones/{phone}/media/{message_id}").access(Access.ADMIN).tag("Sandbox")
                .summary("The file of a media message the phone received, as the phone downloads it")
                .description("Downloaded from the sandbox's media host and checked (hashes and MAC) by the phone's "
                        + "own reader; when the host expired it, the phone asks the sender's device to upload it "
                        + "again (media retry) and downloads the new copy. 404 when the phone received no file in "
                        + "that message; 503 when the file cannot be had.")
                .returnsText("application/octet-stream")
                .errors(404, 503)
                .handle(ctx -> {
                    var bytes = sandbox.receivedMedia(ctx.pathParam("phone"), ctx.pathParam("message_id"));
                    ctx.disableCompression();
                    ctx.contentType("application/octet-stream");
                    ctx.result(bytes);
                });
        routes.post("/v1/sandbox/phones/{phone}/read").access(Access.ADMIN).tag("Sandbox")
                .summary("The phone's user reads messages of a chat: a read receipt goes to their sender")
                .description("400 on `chat` when it is not a sandbox phone; 404 when the reading phone does not "
                        + "exist.")
                .body(SandboxDtos.MarkRead.class).returns(200, SandboxDtos.Done.class).errors(404)
                .handle(ctx -> {
                    var body = bodies.read(ctx, SandboxDtos.MarkRead.class);
                    sandbox.markRead(ctx.pathParam("phone"), body.chat(), body.messageIds());
                    ctx.json(new SandboxDtos.Done(true));
                });
        routes.post("/v1/sandbox/phones/{phone}/groups").access(Access.ADMIN).tag("Sandbox")
                .summary("The phone's user creates a group with other sandbox phones, and is its admin")
                .description("Every member's devices are told (a w:gp2 notification). 400 on `subject` or "
                        + "`participants` (blank, or a number that is not a sandbox phone); 404 when the phone does "
                        + "not exist.")
                .body(SandboxDtos.CreateGroup.class).returns(201, SandboxDtos.GroupCreated.class).errors(404)
                .handle(ctx -> {
                    var body = bodies.read(ctx, SandboxDtos.CreateGroup.class);
                    var group = sandbox.createGroup(ctx.pathParam("phone"), body.subject(), body.participants());
                    ctx.status(201).json(new SandboxDtos.GroupCreated(true, SandboxDtos.Group.of(group)));
                });
        routes.get("/v1/sandbox/phones/{phone}/groups").access(Access.ADMIN).tag("Sandbox")
                .summary("The groups the phone is a member of")
                .returns(200, SandboxDtos.Groups.class).errors(404)
                .handle(ctx -> ctx.json(new SandboxDtos.Groups(true, sandbox.groups(ctx.pathParam("phone")).stream()
                        .map(SandboxDtos.Group::of).toList())));
        routes.patch("/v1/sandbox/phones/{phone}/groups/{jid}").access(Access.ADMIN).tag("Sandbox")
                .summary("The phone's user changes a group: subject, description, announce, locked")
                .description("As the phone would ask WhatsApp's server; every member's devices hear each change (a "
                        + "w:gp2 notification, a `group.flow` event at a linked instance). 400 on `subject` (blank "
                        + "or over 100 characters) or when nothing is given; 404 when the phone or group does not "
                        + "exist; 409 when the server refuses (the phone is not a member, or not an admin where one "
                        + "is needed: announce and locked always, subject and description in a locked group).")
                .body(SandboxDtos.UpdateGroup.class).returns(200, SandboxDtos.GroupCreated.class).errors(404, 409)
                .handle(ctx -> {
                    var body = bodies.read(ctx, SandboxDtos.UpdateGroup.class);
                    var group = sandbox.updateGroup(ctx.pathParam("phone"), ctx.pathParam("jid"), body.subject(),
                            body.description(), body.announce(), body.locked());
                    ctx.json(new SandboxDtos.GroupCreated(true, SandboxDtos.Group.of(group)));
                });
        routes.post("/v1/sandbox/phones/{phone}/groups/{jid}/participants").access(Access.ADMIN).tag("Sandbox")
                .summary("The phone's user, an admin, adds, removes, promotes or demotes members")
                .description("One status per participant, in order, as the server answered. 400 on `action` or "
                        + "`participants` (a number that is not a sandbox phone); 404 when the phone or group does "
                        + "not exist; 409 when the phone is not an admin of the group.")
                .body(SandboxDtos.GroupParticipants.class).returns(200, SandboxDtos.ParticipantsChanged.class)
                .errors(404, 409)
                .handle(ctx -> {
                    var body = bodies.read(ctx, SandboxDtos.GroupParticipants.class);
                    var statuses = sandbox.changeGroupParticipants(ctx.pathParam("phone"), ctx.pathParam("jid"),
                            body.action(), body.participants());
                    var data = new java.util.ArrayList<SandboxDtos.ParticipantStatus>();
                    for (int i = 0; i < statuses.size(); i++) {
                        data.add(new SandboxDtos.ParticipantStatus(body.participants().get(i), statuses.get(i)));
                    }
                    ctx.json(new SandboxDtos.ParticipantsChanged(true, data));
                });
        routes.get("/v1/sandbox/phones/{phone}/groups/{jid}/invite").access(Access.ADMIN).tag("Sandbox")
                .summary("The group's invite code, as the phone's user (an admin) sees it")
                .description("400 when `{jid}` is not a group JID; 404 when the phone or group does not exist; 409 "
                        + "when the phone is not an admin of the group.")
                .returns(200, SandboxDtos.Invite.class).errors(400, 404, 409)
                .handle(ctx -> {
                    var code = sandbox.groupInviteCode(ctx.pathParam("phone"), ctx.pathParam("jid"));
                    ctx.json(new SandboxDtos.Invite(true, code, "https://chat.whatsapp.com/" + code));
                });
        routes.post("/v1/sandbox/phones/{phone}/groups/join").access(Access.ADMIN).tag("Sandbox")
                .summary("The phone's user joins a group by its invite code")
                .description("Every member's devices hear it (an add with reason invite: a `joined` event). 404 "
                        + "when the phone does not exist or no group has the code.")
                .body(SandboxDtos.JoinGroup.class).returns(200, SandboxDtos.GroupCreated.class).errors(404)
                .handle(ctx -> {
                    var body = bodies.read(ctx, SandboxDtos.JoinGroup.class);
                    var group = sandbox.joinGroup(ctx.pathParam("phone"), body.code());
                    ctx.json(new SandboxDtos.GroupCreated(true, SandboxDtos.Group.of(group)));
                });
        routes.post("/v1/sandbox/phones/{phone}/groups/{jid}/leave").access(Access.ADMIN).tag("Sandbox")
                .summary("The phone's user leaves a group")
                .description("The members and the phone's devices hear it (a `left` event). 400 when `{jid}` is not "
                        + "a group JID; 404 when the phone or group does not exist; 409 when the phone is not a "
                        + "member.")
                .returns(200, SandboxDtos.Done.class).errors(400, 404, 409)
                .handle(ctx -> {
                    sandbox.leaveGroup(ctx.pathParam("phone"), ctx.pathParam("jid"));
                    ctx.json(new SandboxDtos.Done(true));
                });
        routes.put("/v1/sandbox/phones/{phone}/privacy").access(Access.ADMIN).tag("Sandbox")
                .summary("The phone's privacy settings: who may add it to groups")
                .description("`groupadd`: `all` (the default) or `none`, when an admin's add answers 403 for this "
                        + "phone in the per-participant result. 400 for another value; 404 when the phone does not "
                        + "exist.")
                .body(SandboxDtos.Privacy.class).returns(200, SandboxDtos.Done.class).errors(404)
                .handle(ctx -> {
                    var body = bodies.read(ctx, SandboxDtos.Privacy.class);
                    sandbox.setGroupAddPrivacy(ctx.pathParam("phone"), body.groupadd());
                    ctx.json(new SandboxDtos.Done(true));
                });
        routes.post("/v1/sandbox/phones/{phone}/calls").access(Access.ADMIN).tag("Sandbox")
                .summary("The phone's user calls another sandbox phone: every device of the callee rings")
                .description("The callee's linked devices are offered the call as by a real one. 400 on `to` "
                        + "when the callee is not a sandbox phone or is the calling phone itself; 404 when the calling phone does not exist.")
                .body(SandboxDtos.Call.class).returns(200, SandboxDtos.CallPlaced.class).errors(404)
                .handle(ctx -> {
                    var body = bodies.read(ctx, SandboxDtos.Call.class);
                    var id = sandbox.call(ctx.pathParam("phone"), body.to());
                    ctx.json(new SandboxDtos.CallPlaced(true, new SandboxDtos.CallId(id)));
                });
        routes.post("/v1/sandbox/phones/{phone}/status").access(Access.ADMIN).tag("Sandbox")
                .summary("The phone's user posts a text status update (a story)")
                .description("Every device of the accounts in `to` gets it from `status@broadcast`, under the "
                        + "phone's status sender key, as WhatsApp delivers stories; an instance of one of them "
                        + "sees a `message.exchange` with `chat_jid` `status@broadcast`, unless its setting "
                        + "`ignore_status` drops it. 400 on `to` or `text`; 404 when the phone does not exist.")
                .body(SandboxDtos.PostStatus.class).returns(200, SandboxDtos.MessageSent.class).errors(400, 404)
                .handle(ctx -> {
                    var body = bodies.read(ctx, SandboxDtos.PostStatus.class);
                    var id = sandbox.postStatus(ctx.pathParam("phone"), body.to(), body.text());
                    ctx.json(new SandboxDtos.MessageSent(true, new SandboxDtos.SentId(id)));
                });
        routes.get("/v1/sandbox/phones/{phone}/calls").access(Access.ADMIN).tag("Sandbox")
                .summary("The call signals the phone was sent: offers, accepts, rejects, terminations")
                .description("Oldest first, with the sending device's JID: an instance's reject shows here as "
                        + "`reject` from the instance's device. 404 when the phone does not exist.")
                .returns(200, SandboxDtos.CallSignals.class).errors(404)
                .handle(ctx -> ctx.json(new SandboxDtos.CallSignals(true, sandbox.calls(ctx.pathParam("phone"))
                        .stream().map(SandboxDtos.Signal::of).toList())));
        routes.post("/v1/sandbox/phones/{phone}/calls/{call_id}/{action}").access(Access.ADMIN).tag("Sandbox")
                .summary("The phone's user accepts, rejects or hangs up a call")
                .description("`{action}` is `accept` or `reject` (the callee's phone answers its own call: its "
                        + "linked instances see `accepted` or `rejected`) or `terminate` (either side hangs up: "
                        + "the callee's instances see `terminated`, or `missed` when nobody had accepted). 400 on "
                        + "`action`; 404 when the phone does not exist or is no party of the call.")
                .returns(200, SandboxDtos.Done.class).errors(400, 404)
                .handle(ctx -> {
                    sandbox.callAction(ctx.pathParam("phone"), ctx.pathParam("call_id"), ctx.pathParam("action"));
                    ctx.json(new SandboxDtos.Done(true));
                });
        routes.post("/v1/sandbox/phones/{phone}/presence").access(Access.ADMIN).tag("Sandbox")
                .summary("The phone's user comes online, goes away, or types in a chat")
                .description("`available`/`unavailable` without `to`: the phone's presence, sent to the "
                        + "instances subscribed to it. `composing`, `recording` or `paused` with `to` (a sandbox "
                        + "number, which may be an instance's account): a chat state to every device of `to`. 400 "
                        + "on `state` or `to`; 404 when the phone does not exist.")
                .body(SandboxDtos.PhonePresence.class).returns(200, SandboxDtos.Done.class).errors(400, 404)
                .handle(ctx -> {
                    var body = bodies.read(ctx, SandboxDtos.PhonePresence.class);
                    sandbox.presence(ctx.pathParam("phone"), body.to(), body.state());
                    ctx.json(new SandboxDtos.Done(true));
                });
        routes.get("/v1/sandbox/phones/{phone}/presence").access(Access.ADMIN).tag("Sandbox")
                .summary("What the phone sees of presence: chat states sent to it, and an account's presence")
                .description("`chat_states` lists the chat states the phone was sent, oldest first (an "
                        + "instance typing to it shows here). With `?of=<number>`, `presence` is that account's "
                        + "presence as the network holds it (an instance's as its device announced it; the "
                        + "sandbox has no privacy settings), null when it never announced one. 404 when the "
                        + "phone does not exist; 400 on `of` when it is no sandbox account.")
                .query("of", "A sandbox account's number whose presence to show", String.class)
                .returns(200, SandboxDtos.PresenceSeen.class).errors(400, 404)
                .handle(ctx -> ctx.json(SandboxDtos.PresenceSeen.of(sandbox.presenceSeen(ctx.pathParam("phone"),
                        ctx.queryParam("of")))));
    
        appState(routes, sandbox, bodies);
    }

    /** The phone's app state: address book, chat settings and labels, pushed to its companions as patches. */
    private static void appState(Routes routes, SandboxUseCase sandbox, Bodies bodies) {
        routes.post("/v1/sandbox/phones/{phone}/contacts").access(Access.ADMIN).tag("Sandbox")
                .summary("The phone's user saves a contact in the address book (or renames it)")
                .description("Linked companions hear of it through app-state sync (a server_sync notification, "
                        + "then the patch). 400 on `jid` or `name`; 404 when the phone does not exist.")
                .body(SandboxDtos.SaveContact.class).returns(200, SandboxDtos.Done.class).errors(404)
                .handle(ctx -> {
                    var body = bodies.read(ctx, SandboxDtos.SaveContact.class);
                    sandbox.saveContact(ctx.pathParam("phone"), body.jid(), body.name());
                    ctx.json(new SandboxDtos.Done(true));
                });
        routes.get("/v1/sandbox/phones/{phone}/contacts").access(Access.ADMIN).tag("Sandbox")
                .summary("The phone's address book")
                .returns(200, SandboxDtos.AddressBook.class).errors(404)
                .handle(ctx -> ctx.json(new SandboxDtos.AddressBook(true, sandbox.contacts(ctx.pathParam("phone"))
                        .stream().map(c -> new SandboxDtos.AddressBookEntry(c.jid(), c.name())).toList())));
        routes.delete("/v1/sandbox/phones/{phone}/contacts/{jid}").access(Access.ADMIN).tag("Sandbox")
                .summary("The phone's user deletes a contact from the address book")
                .description("A REMOVE mutation for the companions. 404 when the phone or the contact does not "
                        + "exist.")
                .returns(200, SandboxDtos.Done.class).errors(404)
                .handle(ctx -> {
                    sandbox.deleteContact(ctx.pathParam("phone"), ctx.pathParam("jid"));
                    ctx.json(new SandboxDtos.Done(true));
                });
        routes.patch("/v1/sandbox/phones/{phone}/chats").access(Access.ADMIN).tag("Sandbox")
                .summary("The phone's user archives, pins or mutes a chat (or undoes it)")
                .description("Each field given is changed, each as its own app-state patch. 400 on `chat` or when "
                        + "nothing is given; 404 when the phone does not exist.")
                .body(SandboxDtos.ChangeChat.class).returns(200, SandboxDtos.Done.class).errors(404)
                .handle(ctx -> {
                    var body = bodies.read(ctx, SandboxDtos.ChangeChat.class);
                    sandbox.changeChat(ctx.pathParam("phone"), body.chat(),
                            new ponte.application.model.SandboxAppState.ChatFlagsChange(
                                    java.util.Optional.ofNullable(body.archived()),
                                    java.util.Optional.ofNullable(body.pinned()),
                                    java.util.Optional.ofNullable(body.muted()),
                                    java.util.Optional.ofNullable(body.mutedUntil())));
                    ctx.json(new SandboxDtos.Done(true));
                });
        routes.put("/v1/sandbox/phones/{phone}/labels/{label}").access(Access.ADMIN).tag("Sandbox")
                .summary("The phone's user creates or edits a label (business accounts)")
                .description("400 on `id`, `name` or `color`; 404 when the phone does not exist.")
                .body(SandboxDtos.EditLabel.class).returns(200, SandboxDtos.Done.class).errors(404)
                .handle(ctx -> {
                    var body = bodies.read(ctx, SandboxDtos.EditLabel.class);
                    sandbox.editLabel(ctx.pathParam("phone"), ctx.pathParam("label"), body.name(), body.color());
                    ctx.json(new SandboxDtos.Done(true));
                });
        routes.delete("/v1/sandbox/phones/{phone}/labels/{label}").access(Access.ADMIN).tag("Sandbox")
                .summary("The phone's user deletes a label")
                .returns(200, SandboxDtos.Done.class).errors(404)
                .handle(ctx -> {
                    sandbox.deleteLabel(ctx.pathParam("phone"), ctx.pathParam("label"));
                    ctx.json(new SandboxDtos.Done(true));
                });
        routes.get("/v1/sandbox/phones/{phone}/labels").access(Access.ADMIN).tag("Sandbox")
                .summary("The phone's labels")
                .returns(200, SandboxDtos.Labels.class).errors(404)
                .handle(ctx -> ctx.json(new SandboxDtos.Labels(true, sandbox.labels(ctx.pathParam("phone")).stream()
                        .map(l -> new SandboxDtos.Label(l.id(), l.name(), l.color())).toList())));
        routes.post("/v1/sandbox/phones/{phone}/labels/{label}/chats").access(Access.ADMIN).tag("Sandbox")
                .summary("The phone's user puts a label on a chat or one of its messages, or takes it off")
                .description("400 on `chat`; 404 when the phone or the label does not exist.")
                .body(SandboxDtos.LabelChat.class).returns(200, SandboxDtos.Done.class).errors(404)
                .handle(ctx -> {
                    var body = bodies.read(ctx, SandboxDtos.LabelChat.class);
                    sandbox.labelChat(ctx.pathParam("phone"), ctx.pathParam("label"), body.chat(),
                            body.messageId(), body.labeled() == null || body.labeled());
                    ctx.json(new SandboxDtos.Done(true));
                });
    }
}
