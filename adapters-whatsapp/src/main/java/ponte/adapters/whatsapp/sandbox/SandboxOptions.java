package ponte.adapters.whatsapp.sandbox;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * How a sandbox server runs: where it listens, how long QR refs live, how often it pings, and the oldest
 * WhatsApp Web build it accepts (older ones get failure 405, as WhatsApp answers outdated clients).
 */
public record SandboxOptions(InetSocketAddress bind, Duration firstRefLifetime, Duration laterRefLifetime,
        Duration pingInterval, long minimumClientRevision) {

    public static SandboxOptions defaults(String host, int port) {
        return new SandboxOptions(new InetSocketAddress(host, port), PairingRefs.FIRST, PairingRefs.LATER,
                Duration.ofSeconds(30), 0);
    }

    public SandboxOptions withPingInterval(Duration interval) {
        return new SandboxOptions(bind, firstRefLifetime, laterRefLifetime, interval, minimumClientRevision);
    }

    public SandboxOptions withMinimumClientRevision(long revision) {
        return new SandboxOptions(bind, firstRefLifetime, laterRefLifetime, pingInterval, revision);
    }
}
