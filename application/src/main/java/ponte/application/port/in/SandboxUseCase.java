package ponte.application.port.in;

import ponte.application.model.SandboxInfo;
import ponte.application.model.SandboxLinkedDevice;
import ponte.application.model.SandboxPhone;

/**
 * The simulated WhatsApp network, for the server operator: where it listens, and virtual phones that link instances
 * as a person's phone would. Not found unless the gateway runs with a sandbox.
 */
public interface SandboxUseCase {
    SandboxInfo info();

    /** A new virtual phone (a WhatsApp account); conflict when the number already has one. */
    SandboxPhone createPhone(String phoneNumber, String pushName);

    /** The phone scans an instance's QR text; returns once the instance is linked. */
    SandboxLinkedDevice scan(String phoneNumber, String qr);

    /** The phone's user types an instance's pairing code; returns once the instance is linked. */
    SandboxLinkedDevice linkCode(String phoneNumber, String code);

    /** The devices linked to the phone now, as its "Linked devices" screen lists them. */
    java.util.List<SandboxLinkedDevice> devices(String phoneNumber);
}
