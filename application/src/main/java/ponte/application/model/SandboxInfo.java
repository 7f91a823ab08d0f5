package ponte.application.model;

import java.util.Arrays;

/**
 * Where the sandbox's chat socket listens, the 32-byte public key of its certificate root, and how many logins
 * since it started found their device already connected ({@code replacedConnections}: the older connection was
 * told {@code replaced}; two nodes running one instance would show here).
 */
public record SandboxInfo(String wsUrl, byte[] rootPublicKey, long replacedConnections) {
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
                && replacedConnections == that.replacedConnections
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
