package ponte.application.port.out;

import java.util.Arrays;
import java.util.Optional;

/** The simulated WhatsApp network, when the gateway runs with one: where it listens and which root it signs with. */
public interface SandboxPort {

    /** Empty when the gateway talks to the real WhatsApp network. */
    Optional<SandboxInfo> info();

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
