package ponte.application.port.out;

import java.util.UUID;
import ponte.domain.proxy.EffectiveProxy;

/** The running WhatsApp sessions, as far as configuration changes need them. */
public interface WhatsAppSessionPort {
    /** Whether this instance has a live socket to WhatsApp right now. */
    boolean isOnline(UUID instanceId);

    /**
     * Whether this node runs a session for the instance at all: online, dialling, or waiting to retry after a
     * failure (a wrong proxy password, a dead network). Such a session must dial again when its proxy changes.
     */
    boolean isRunning(UUID instanceId);

    /**
     * Closes the instance's socket (or cancels its retry loop) and dials again at once through {@code proxy}, the
     * instance's new effective proxy. Returns whether that happened here and now or was handed to the node that runs
     * the session.
     */
    Reconnect reconnect(UUID instanceId, EffectiveProxy proxy);

    enum Reconnect { CONNECTED, SCHEDULED }
}
