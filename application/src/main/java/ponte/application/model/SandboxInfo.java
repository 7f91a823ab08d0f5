package ponte.application.model;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the sandbox's chat socket listens, the 32-byte public key of its certificate root, the X.509 certificate
 * (PEM) of the same root that signs its HTTPS media host's certificate (what another client, Baileys say, trusts to
 * upload and download media there with verification on; empty when the sandbox is not known to have a media host),
 * and how many logins since it started found their device already connected ({@code replacedConnections}: the older
 * connection was told {@code replaced}; two nodes running one instance would show here).
 */
public record SandboxInfo(String wsUrl, byte[] rootPublicKey, Optional<String> mediaRootPem, long replacedConnections) {
    /** Without the media host's root certificate and with no replaced connection. */
    public SandboxInfo(String wsUrl, byte[] rootPublicKey) {
        this(wsUrl, rootPublicKey, Optional.empty(), 0);
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
                && replacedConnections == that.replacedConnections
                && Arrays.equals(rootPublicKey, that.rootPublicKey) && mediaRootPem.equals(that.mediaRootPem);
    }

    @Override
    public int hashCode() {
        return Objects.hash(wsUrl, Arrays.hashCode(rootPublicKey), mediaRootPem, replacedConnections);
    }

    @Override
    public String toString() {
        return "SandboxInfo[wsUrl=" + wsUrl + "]";
    }
}
