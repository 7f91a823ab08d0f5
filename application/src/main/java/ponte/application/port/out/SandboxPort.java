package ponte.application.port.out;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The simulated WhatsApp network, when the gateway runs with one: where it listens, which root it signs with, and
 * its virtual phones, which link instances as a person's phone would.
 */
public interface SandboxPort {

    /** Empty when the gateway talks to the real WhatsApp network. */
    Optional<SandboxInfo> info();

    /** A new virtual phone; {@code ConflictException} when the number already has one. */
    SandboxPhone createPhone(String phoneNumber, String pushName);

    List<SandboxPhone> phones();

    /**
     * The phone scans an instance's QR text; returns once the instance is linked. {@code NotFoundException} when
     * the phone does not exist or no connected instance shows this QR now.
     */
    SandboxLinkedDevice scan(String phoneNumber, String qr);

    /**
     * The phone's user types a pairing code an instance was given; returns once linked. {@code NotFoundException}
     * when no instance asked to link this number, {@code ConflictException} when the code is wrong.
     */
    SandboxLinkedDevice linkCode(String phoneNumber, String code);

    /** The phone's linked devices. */
    List<SandboxLinkedDevice> devices(String phoneNumber);

    /** The phone removes a linked device; the instance is logged out. False when it was not linked. */
    boolean unlink(String phoneNumber, int device);

    /** A simulated account: its number, the name it shows, and its LID user. */
    record SandboxPhone(String phoneNumber, String pushName, String lid) {
    }

    /** One entry of a phone's device list. */
    record SandboxLinkedDevice(String phoneNumber, int device, String jid, String lid, String platform,
            Instant linkedAt) {
    }

    /** The chat socket URL and the 32-byte public key of the sandbox's certificate root. */
    record SandboxInfo(String wsUrl, byte[] rootPublicKey) {

        public SandboxInfo {
            rootPublicKey = rootPublicKey.clone();
        }

        @Override
        public byte[] rootPublicKey() {
            return rootPublicKey.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof SandboxInfo that && wsUrl.equals(that.wsUrl)
                    && Arrays.equals(rootPublicKey, that.rootPublicKey);
        }

        @Override
        public int hashCode() {
            return 31 * wsUrl.hashCode() + Arrays.hashCode(rootPublicKey);
        }

        @Override
        public String toString() {
            return "SandboxInfo[wsUrl=" + wsUrl + "]";
        }
    }
}
