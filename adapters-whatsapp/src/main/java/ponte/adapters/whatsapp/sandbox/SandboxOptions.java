package ponte.adapters.whatsapp.sandbox;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How a sandbox server runs: where it listens, how long QR refs live, how often it pings, the oldest WhatsApp Web
 * build it accepts (older ones get failure 405, as WhatsApp answers outdated clients), and how long a connection
 * may stay silent in both directions before the server drops it. A client that lets its connection go quiet (no
 * keepalive while a QR is shown, say) is cut off here as it would be by any server. The 60-second default is not a
 * figure measured on WhatsApp; it is twice the longest keepalive interval clients use (whatsmeow and Baileys ping
 * every 20–30 s), since a server that dropped sockets at exactly that interval would cut off healthy clients whose
 * ping is a moment late (it did, under load, at Jetty's 30 s). {@code mediaFolder}: where the media host keeps
 * its files ({@link #withMediaFolder}).
 */
public record SandboxOptions(InetSocketAddress bind, Duration firstRefLifetime, Duration laterRefLifetime,
        Duration pingInterval, long minimumClientRevision, Duration idleTimeout, Optional<Path> mediaFolder) {

    public SandboxOptions {
        java.util.Objects.requireNonNull(mediaFolder, "mediaFolder");
    }

    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

    /** Options with the default idle timeout. */
    public SandboxOptions(InetSocketAddress bind, Duration firstRefLifetime, Duration laterRefLifetime,
            Duration pingInterval, long minimumClientRevision) {
        this(bind, firstRefLifetime, laterRefLifetime, pingInterval, minimumClientRevision, DEFAULT_IDLE_TIMEOUT,
                Optional.empty());
    }

    public static SandboxOptions defaults(String host, int port) {
        return new SandboxOptions(new InetSocketAddress(host, port), PairingRefs.FIRST, PairingRefs.LATER,
                Duration.ofSeconds(30), 0, DEFAULT_IDLE_TIMEOUT, Optional.empty());
    }

    public SandboxOptions withPingInterval(Duration interval) {
        return new SandboxOptions(bind, firstRefLifetime, laterRefLifetime, interval, minimumClientRevision,
                idleTimeout, mediaFolder);
    }

    public SandboxOptions withMinimumClientRevision(long revision) {
        return new SandboxOptions(bind, firstRefLifetime, laterRefLifetime, pingInterval, revision, idleTimeout,
                mediaFolder);
    }

    /** QR refs that live {@code first}, then {@code later} each, instead of WhatsApp's 60 s and 20 s. */
    public SandboxOptions withRefLifetimes(Duration first, Duration later) {
        return new SandboxOptions(bind, first, later, pingInterval, minimumClientRevision, idleTimeout,
                mediaFolder);
    }

    public SandboxOptions withIdleTimeout(Duration timeout) {
        return new SandboxOptions(bind, firstRefLifetime, laterRefLifetime, pingInterval, minimumClientRevision,
                timeout, mediaFolder);
    }

    /**
     * The media host keeps its files in {@code folder} (indexed in the sandbox's database), so they outlive a
     * restart; without one it uses a temporary folder it deletes when it stops.
     */
    public SandboxOptions withMediaFolder(Path folder) {
        return new SandboxOptions(bind, firstRefLifetime, laterRefLifetime, pingInterval, minimumClientRevision,
                idleTimeout, Optional.of(folder));
    }
}
