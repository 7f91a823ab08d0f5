package ponte.application.service;

import java.util.Optional;
import ponte.application.error.NotFoundException;
import ponte.application.port.in.SandboxUseCase;
import ponte.application.port.out.SandboxPort;
import ponte.application.port.out.SandboxPort.SandboxInfo;

final class SandboxService implements SandboxUseCase {
    private final Optional<SandboxPort> sandbox;

    SandboxService(Optional<SandboxPort> sandbox) {
        this.sandbox = sandbox;
    }

    @Override
    public SandboxInfo info() {
        return network().info().orElseThrow(SandboxService::absent);
    }

    private SandboxPort network() {
        return sandbox.orElseThrow(SandboxService::absent);
    }

    private static NotFoundException absent() {
        return new NotFoundException("this gateway talks to WhatsApp, not to a sandbox: start it with "
                + "PONTE_WHATSAPP=sandbox to simulate the network");
    }
}
