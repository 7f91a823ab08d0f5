package ponte.adapters.http.routes;

import java.util.Base64;
import ponte.adapters.http.core.Access;
import ponte.adapters.http.core.Routes;
import ponte.adapters.http.dto.SandboxDtos;
import ponte.application.port.in.SandboxUseCase;

/** The simulated WhatsApp network's routes, for the server operator. */
public final class SandboxRoutes {
    private SandboxRoutes() {}

    public static void register(Routes routes, SandboxUseCase sandbox) {
        routes.get("/v1/sandbox/info").access(Access.ADMIN).tag("Sandbox")
                .summary("Where the simulated WhatsApp network listens and the root it signs with")
                .description("404 unless the gateway runs with PONTE_WHATSAPP=sandbox.")
                .returns(200, SandboxDtos.InfoResponse.class).errors(404)
                .handle(ctx -> {
                    var info = sandbox.info();
                    ctx.json(new SandboxDtos.InfoResponse(true, new SandboxDtos.Info(info.wsUrl(),
                            Base64.getEncoder().encodeToString(info.rootPublicKey()))));
                });
    }
}
