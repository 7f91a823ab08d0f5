package ponte.bootstrap;

import java.util.UUID;
import ponte.application.port.out.WhatsAppSessionPort;

/**
 * The session port while this build has no WhatsApp engine wired in: no instance can be online, so configuration
 * changes report them offline and they pick the change up when they first connect.
 */
final class NoWhatsAppEngine implements WhatsAppSessionPort {
    @Override
    public boolean isOnline(UUID instanceId) {
        return false;
    }

    @Override
    public Reconnect reconnect(UUID instanceId) {
        throw new IllegalStateException("no WhatsApp engine runs in this gateway, so no session can be reconnected");
    }
}
