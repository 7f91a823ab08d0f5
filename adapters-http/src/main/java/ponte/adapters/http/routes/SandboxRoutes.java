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
                            Base64.getEncoder().encodeToString(info.rootPublicKey()))));
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
                        + "id; to a group (`to` = its JID) as one skmsg under the phone's sender key. Only `text` "
                        + "is sent today. 400 on `to` when the recipient is not a sandbox phone (not on WhatsApp) or "
                        + "group; 404 when the sending phone does not exist; 409 when no device of the recipient "
                        + "published keys, or the phone is not in the group.")
                .body(SandboxDtos.SendMessage.class).returns(200, SandboxDtos.MessageSent.class).errors(404, 409)
                .handle(ctx -> {
                    var body = bodies.read(ctx, SandboxDtos.SendMessage.class);
                    var id = sandbox.sendMessage(ctx.pathParam("phone"), body.to(), body.type(), body.text());
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
        routes.post("/v1/sandbox/phones/{phone}/calls").access(Access.ADMIN).tag("Sandbox")
                .summary("The phone's user calls another sandbox phone: every device of the callee rings")
                .description("The callee's linked devices are offered the call as by a real one. 400 on `to` "
                        + "when the callee is not a sandbox phone; 404 when the calling phone does not exist.")
                .body(SandboxDtos.Call.class).returns(200, SandboxDtos.CallPlaced.class).errors(404)
                .handle(ctx -> {
                    var body = bodies.read(ctx, SandboxDtos.Call.class);
                    var id = sandbox.call(ctx.pathParam("phone"), body.to());
                    ctx.json(new SandboxDtos.CallPlaced(true, new SandboxDtos.CallId(id)));
                });
    }
}
