package ponte.adapters.whatsapp.client;

import java.time.Duration;
import ponte.adapters.whatsapp.socket.SocketSettings;

/**
 * Everything a client connection is configured with; {@link #whatsapp()} talks to the real network.
 * {@code firstQr} and {@code laterQr} are how long the first QR code and each later one stay on display.
 */
public record ClientSettings(SocketSettings socket, WaVersion version, Duration iqTimeout,
        Keepalive.Settings keepalive, Backoff backoff, Duration firstQr, Duration laterQr) {

    /** whatsmeow waits 75 s for an IQ answer (request.go). */
    public static final Duration IQ_TIMEOUT = Duration.ofSeconds(75);

    public static ClientSettings whatsapp() {
        return of(SocketSettings.whatsapp(), WaVersion.DEFAULT);
    }

    public static ClientSettings of(SocketSettings socket, WaVersion version) {
        return new ClientSettings(socket, version, IQ_TIMEOUT, Keepalive.Settings.DEFAULT, Backoff.DEFAULT,
                QrCodes.FIRST, QrCodes.LATER);
    }

    public ClientSettings withSocket(SocketSettings newSocket) {
        return new ClientSettings(newSocket, version, iqTimeout, keepalive, backoff, firstQr, laterQr);
    }

    /** Shorter timings, for tests and the sandbox, where waiting minutes proves nothing more. */
    public ClientSettings withTimings(Duration iqTimeout, Duration pingMin, Duration pingMax, Duration deadAfter,
            Duration backoffStep) {
        return new ClientSettings(socket, version, iqTimeout, new Keepalive.Settings(pingMin, pingMax, deadAfter),
                new Backoff(backoffStep, backoffStep.multipliedBy(30)), firstQr, laterQr);
    }

    /**
     * QR codes shown for {@code first}, then {@code later} each: for tests against a sandbox whose refs live as long
     * (WhatsApp's are 60 s and 20 s).
     */
    public ClientSettings withQrLifetimes(Duration first, Duration later) {
        return new ClientSettings(socket, version, iqTimeout, keepalive, backoff, first, later);
    }
}
