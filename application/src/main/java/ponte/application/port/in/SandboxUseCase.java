package ponte.application.port.in;

import ponte.application.port.out.SandboxPort.SandboxInfo;

/** The simulated WhatsApp network, for the server operator; not found unless the gateway runs with one. */
public interface SandboxUseCase {
    SandboxInfo info();
}
