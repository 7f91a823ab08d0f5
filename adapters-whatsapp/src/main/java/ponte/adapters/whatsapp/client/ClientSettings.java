package ponte.adapters.whatsapp.client;

import java.time.Duration;
import ponte.adapters.whatsapp.socket.SocketSettings;

/** Everything a client connection is configured with; {@link #whatsapp()} talks to the real network. */
public record ClientSettings(SocketSettings socket, WaVersion version, Duration iqTimeout,
        Keepalive.Settings keepalive, Backoff backoff) {

    /** whatsmeow waits 75 s for an IQ answer (request.go). */
    public static final Duration IQ_TIMEOUT = Duration.ofSeconds(75);

    public static ClientSettings whatsapp() {
        return new ClientSettings(SocketSettings.whatsapp(), WaVersion.DEFAULT, IQ_TIMEOUT,
                Keepalive.Settings.DEFAULT, Backoff.DEFAULT);
    }

    public static ClientSettings of(SocketSettings socket, WaVersion version) {
        return new ClientSettings(socket, version, IQ_TIMEOUT, Keepalive.Settings.DEFAULT, Backoff.DEFAULT);
    }

    public ClientSettings withSocket(SocketSettings newSocket) {
        return new ClientSettings(newSocket, version, iqTimeout, keepalive, backoff);
    }

    /** Shorter timings, for tests and the sandbox, where waiting minutes proves nothing more. */
    public ClientSettings withTimings(Duration iqTimeout, Duration pingMin, Duration pingMax, Duration deadAfter,
            Duration backoffStep) {
        return new ClientSettings(socket, version, iqTimeout, new Keepalive.Settings(pingMin, pingMax, deadAfter),
                new Backoff(backoffStep, backoffStep.multipliedBy(30)));
    }
}
