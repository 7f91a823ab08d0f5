package ponte.application.model;

import java.util.Arrays;

/** Where the sandbox's chat socket listens, and the 32-byte public key of its certificate root. */
public record SandboxInfo(String wsUrl, byte[] rootPublicKey) {
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
