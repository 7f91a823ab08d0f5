package ponte.application.model;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the sandbox's chat socket listens, the 32-byte public key of its certificate root, and the X.509 certificate
 * (PEM) of the same root that signs its HTTPS media host's certificate: what another client (Baileys, say) trusts to
 * upload and download media there with verification on. Empty when the sandbox is not known to have a media host.
 */
public record SandboxInfo(String wsUrl, byte[] rootPublicKey, Optional<String> mediaRootPem) {
    /** Without the media host's root certificate. */
    public SandboxInfo(String wsUrl, byte[] rootPublicKey) {
        this(wsUrl, rootPublicKey, Optional.empty());
    }

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
