package ponte.adapters.whatsapp.sandbox;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * How a sandbox server runs: where it listens, how long QR refs live, how often it pings, the oldest WhatsApp Web
 * build it accepts (older ones get failure 405, as WhatsApp answers outdated clients), and how long a socket may
 * stay silent before it is dropped (30 s, Jetty's default, as a client that stops pinging finds on WhatsApp).
 */
public record SandboxOptions(InetSocketAddress bind, Duration firstRefLifetime, Duration laterRefLifetime,
        Duration pingInterval, long minimumClientRevision, Duration idleTimeout) {

    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

    public static SandboxOptions defaults(String host, int port) {
        return new SandboxOptions(new InetSocketAddress(host, port), PairingRefs.FIRST, PairingRefs.LATER,
                Duration.ofSeconds(30), 0, IDLE_TIMEOUT);
    }

    public SandboxOptions withPingInterval(Duration interval) {
        return new SandboxOptions(bind, firstRefLifetime, laterRefLifetime, interval, minimumClientRevision,
                idleTimeout);
    }

    public SandboxOptions withMinimumClientRevision(long revision) {
        return new SandboxOptions(bind, firstRefLifetime, laterRefLifetime, pingInterval, revision, idleTimeout);
    }

    /** QR refs that live {@code first}, then {@code later} each, instead of WhatsApp's 60 s and 20 s. */
    public SandboxOptions withRefLifetimes(Duration first, Duration later) {
        return new SandboxOptions(bind, first, later, pingInterval, minimumClientRevision, idleTimeout);
    }

    public SandboxOptions withIdleTimeout(Duration timeout) {
        return new SandboxOptions(bind, firstRefLifetime, laterRefLifetime, pingInterval, minimumClientRevision,
                timeout);
    }
}
