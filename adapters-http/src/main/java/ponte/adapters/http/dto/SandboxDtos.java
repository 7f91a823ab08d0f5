package ponte.adapters.http.dto;

import ponte.adapters.http.openapi.Doc;

/** Bodies of the sandbox routes (a simulated WhatsApp network on loopback). */
public final class SandboxDtos {
    private SandboxDtos() {}

    public record Info(@Doc("Where a WhatsApp Web client dials the simulated network") String wsUrl,
                       @Doc("The network's certificate root (32-byte Curve25519 public key, base64): trust it "
                               + "instead of WhatsApp's") String rootPublicKey) {}

    public record InfoResponse(boolean success, Info sandbox) {}
}
