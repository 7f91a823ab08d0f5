package ponte.application.port.out;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import ponte.domain.proxy.EffectiveProxy;

/**
 * What the use cases ask of the WhatsApp engine that runs instances' sessions. The engine answers asynchronously,
 * through {@code SessionEventsUseCase}, as the protocol advances.
 */
public interface SessionControlPort {
    /**
     * Starts the instance's session: logs in with stored credentials, or starts pairing when there are none, dialling
     * through {@code proxy} (the instance's effective proxy, password opened). A session that is already running but
     * not online (waiting to retry) gives up its retry loop and dials again at once through {@code proxy}.
     */
    void start(UUID instanceId, EffectiveProxy proxy);

    /** Closes the socket and keeps the credentials. */
    void stop(UUID instanceId);

    /**
     * Stops the session on this node without reporting anything (no status change): its lease moved to another
     * node, or is about to lapse, and whoever runs it next reports for it. Nothing happens when it does not run here.
     */
    void release(UUID instanceId);

    /**
     * Unlinks the device on the server side (the phone's device list no longer has it) and wipes credentials; an
     * offline device first logs in briefly through {@code proxy}.
     */
    void logout(UUID instanceId, EffectiveProxy proxy);

    /** Stops the session and wipes its credentials without asking the server (the instance is being deleted). */
    void discard(UUID instanceId);

    /**
     * Asks the server for a pairing code linking the instance to this phone number; starts the session first if
     * needed (through {@code proxy}) and waits for it at most {@code wait}.
     */
    PairingCode requestPairingCode(UUID instanceId, String phoneNumber, Duration wait, EffectiveProxy proxy);

    record PairingCode(String code, Instant expiresAt) {}
}
