package ponte.application.port.out;

import java.time.Duration;
import java.util.UUID;
import ponte.application.port.out.SessionControlPort.PairingCode;

/**
 * Lifecycle commands for an instance whose session runs on another gateway node (it holds the lease), carried to
 * that node and answered by it. Each call returns once the owner has carried the command out, and throws what the
 * owner threw (a conflict, a validation error, unavailable); a node that does not answer within the wait is
 * {@code UnavailableException}.
 */
public interface RemoteSessions {
    void start(UUID node, UUID instanceId);

    void stop(UUID node, UUID instanceId);

    void logout(UUID node, UUID instanceId);

    void discard(UUID node, UUID instanceId);

    /** Dials again through the instance's current effective proxy. */
    void reconnect(UUID node, UUID instanceId);

    PairingCode pairingCode(UUID node, UUID instanceId, String phoneNumber, Duration wait);
}
