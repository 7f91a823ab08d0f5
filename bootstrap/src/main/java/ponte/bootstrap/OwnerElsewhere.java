package ponte.bootstrap;

import java.time.Duration;
import java.util.UUID;
import ponte.application.error.UnavailableException;
import ponte.application.port.out.RemoteSessions;
import ponte.application.port.out.SessionControlPort.PairingCode;

/** Commands for a session another node runs are refused with a 503 naming that node, until they can travel. */
final class OwnerElsewhere implements RemoteSessions {
    private static UnavailableException elsewhere(UUID node) {
        return new UnavailableException("this instance's session runs on gateway node " + node
                + "; send the command to that node (GET /v1/nodes lists the nodes)");
    }

    @Override
    public void start(UUID node, UUID instanceId) {
        throw elsewhere(node);
    }

    @Override
    public void stop(UUID node, UUID instanceId) {
        throw elsewhere(node);
    }

    @Override
    public void logout(UUID node, UUID instanceId) {
        throw elsewhere(node);
    }

    @Override
    public void discard(UUID node, UUID instanceId) {
        // the deleted instance's lease is no longer renewed: its owner stops the session within a round
    }

    @Override
    public void reconnect(UUID node, UUID instanceId) {
        throw elsewhere(node);
    }

    @Override
    public PairingCode pairingCode(UUID node, UUID instanceId, String phoneNumber, Duration wait) {
        throw elsewhere(node);
    }
}
