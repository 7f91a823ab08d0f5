package ponte.adapters.http.dto;

import java.time.Instant;
import ponte.adapters.http.openapi.Doc;
import ponte.adapters.http.openapi.Example;
import ponte.adapters.http.openapi.Nullable;
import ponte.application.model.SandboxLinkedDevice;
import ponte.application.model.SandboxPhone;

/** Bodies of the sandbox routes (a simulated WhatsApp network on loopback). */
public final class SandboxDtos {
    private SandboxDtos() {}

    public record Info(@Doc("Where a WhatsApp Web client dials the simulated network") String wsUrl,
                       @Doc("The network's certificate root (32-byte Curve25519 public key, base64): trust it "
                               + "instead of WhatsApp's") String rootPublicKey) {}

    public record InfoResponse(boolean success, Info sandbox) {}

    public record CreatePhone(@Doc("International number, digits only, e.g. 5511987650001")
                              @Example("5511987650001") String phoneNumber,
                              @Doc("The name the account shows") @Example("Ana") String pushName) {}

    public record Phone(String phoneNumber, @Nullable String pushName,
                        @Doc("The account's LID user, its privacy-preserving WhatsApp id") String lid) {
        public static Phone of(SandboxPhone phone) {
            return new Phone(phone.phoneNumber(), phone.pushName(), phone.lid());
        }
    }

    public record PhoneCreated(boolean success, Phone phone) {}

    public record Scan(@Doc("The QR text an instance shows (the `qr.raw` of connect or GET qr)")
                       @Example("https://wa.me/settings/linked_devices#2@Kx3b9Q,bm9pc2U=,aWRlbnRpdHk=,YWR2ZXJ0") String qr) {}

    public record LinkCode(@Doc("The pairing code an instance was given, with or without the dash")
                           @Example("ABCD-EFGH") String code) {}

    public record Device(@Doc("The linked device's JID, phone:device@s.whatsapp.net") String jid,
                         @Doc("The linked device's LID") @Nullable String lid,
                         @Doc("The companion's platform, e.g. chrome") @Nullable String platform,
                         Instant linkedAt) {
        public static Device of(SandboxLinkedDevice device) {
            return new Device(device.jid(), device.lid(), device.platform(), device.linkedAt());
        }
    }

    public record Linked(boolean success, Device device) {}

    public record Devices(boolean success, java.util.List<Device> devices) {}
}
