package ponte.adapters.whatsapp.wiring;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the sandbox's chat socket listens (bootstrap fills it from PONTE_SANDBOX_PORT) and where its media host
 * keeps uploaded files: under the data folder they outlive a restart (indexed in the sandbox's schema); without a
 * folder they live in a temporary one, gone when the sandbox stops.
 */
public record SandboxSettings(String host, int port, Optional<Path> mediaFolder) {

    public static final int DEFAULT_PORT = 8081;

    public SandboxSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("sandbox port out of range: " + port);
        }
        Objects.requireNonNull(mediaFolder, "mediaFolder");
    }

    /** Loopback, media in a temporary folder. */
    public static SandboxSettings loopback(int port) {
        return new SandboxSettings("127.0.0.1", port, Optional.empty());
    }

    /** The same, with the media host's files kept in {@code folder}. */
    public SandboxSettings withMediaFolder(Path folder) {
        return new SandboxSettings(host, port, Optional.of(folder));
    }
}
