package ponte.application.port.out;

import java.util.UUID;

/** The running WhatsApp sessions, as far as configuration changes need them. */
public interface WhatsAppSessionPort {
    /** Whether this instance has a live socket to WhatsApp right now. */
    boolean isOnline(UUID instanceId);

    /**
     * Closes the instance's socket and dials again, so a new proxy (or other connection setting) takes effect.
     * Returns whether that happened here and now or was handed to the node that runs the session.
     */
    Reconnect reconnect(UUID instanceId);

    enum Reconnect { CONNECTED, SCHEDULED }
}
