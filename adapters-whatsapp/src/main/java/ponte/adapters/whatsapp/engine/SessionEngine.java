package ponte.adapters.whatsapp.engine;

import ponte.application.port.out.GroupsPort;
import ponte.application.port.out.CallsPort;
import ponte.application.port.out.MediaTransferPort;
import ponte.application.port.out.MessagingPort;
import ponte.application.port.out.PresencePort;
import ponte.application.port.out.SessionControlPort;
import ponte.application.port.out.WhatsAppSessionPort;

/** The engine that runs instances' WhatsApp sessions on this node, as the application sees it. */
public interface SessionEngine extends SessionControlPort, WhatsAppSessionPort, MessagingPort, GroupsPort,
        CallsPort, PresencePort, MediaTransferPort,
        AutoCloseable {
    /** Stops every session without reporting them as stopped: the node is going away, the sessions are not. */
    @Override
    void close();
}
