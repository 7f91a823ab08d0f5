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
    }
}
