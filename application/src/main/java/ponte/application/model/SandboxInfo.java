package ponte.application.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * Where the sandbox's chat socket listens, the 32-byte public key of its certificate root, and the PEM certificate
 * of the root its HTTPS media host's certificate is signed by (for clients that trust CA certificates, such as
 * Node's; empty when the sandbox is not hosted here).
 */
public record SandboxInfo(String wsUrl, byte[] rootPublicKey, String mediaRootPem) {
    public SandboxInfo {
        rootPublicKey = rootPublicKey.clone();
        Objects.requireNonNull(mediaRootPem, "mediaRootPem");
    }

    @Override
    public byte[] rootPublicKey() {
        return rootPublicKey.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SandboxInfo that && wsUrl.equals(that.wsUrl)
                && Arrays.equals(rootPublicKey, that.rootPublicKey) && mediaRootPem.equals(that.mediaRootPem);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * wsUrl.hashCode() + Arrays.hashCode(rootPublicKey)) + mediaRootPem.hashCode();
    }

    @Override
    public String toString() {
        return "SandboxInfo[wsUrl=" + wsUrl + "]";
    }
}
