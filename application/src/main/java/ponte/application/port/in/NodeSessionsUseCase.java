package ponte.application.port.in;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import ponte.application.model.GatewayNode;
import ponte.domain.auth.Principal;

/**
 * This gateway node among the others sharing the database: which sessions it runs is decided by leases (one per
 * instance, with a fencing epoch, timed by the database's clock). A node runs a session only while it holds the
 * instance's lease, renews its leases in one batch per tick, takes free or expired ones up to its fair share (and
 * its limit), hands surplus ones over gently, and stops every session before its leases can expire when renewing
 * fails.
 */
public interface NodeSessionsUseCase {
    /**
     * Registers the node and takes its first leases: the linked instances no other node runs (their sessions start,
     * going {@code connecting} then {@code connected}; one a dead node left saying it runs first becomes
     * {@code disconnected} with {@code gateway_stopped}). Returns how many sessions started.
     */
    int join();

    /**
     * One round: heartbeat and renewal (one statement), sessions whose lease was lost stopped, surplus handed over,
     * free or expired leases taken. Returns how long until the next round is due.
     */
    Duration tick();

    /**
     * Stops every session of this node at once when its last successful renewal is older than the safety deadline
     * (well inside the lease time, measured on the monotonic clock from when that renewal was sent), so that no
     * other node can take a lease while this one still runs its session. Cheap; meant to be called often, from
     * another thread than {@link #tick()} (which may hang on a lost database). Returns how many it stopped.
     */
    int enforceDeadline();

    /**
     * A graceful stop: {@code stopEngine} closes the engine (its sessions stop without reporting), then the sessions
     * this node ran become {@code disconnected} with {@code gateway_stopped}, and every lease is released at once so
     * that other nodes resume them within seconds. Returns how many sessions it ran.
     */
    int leave(Runnable stopEngine);

    /** The gateway nodes sharing the database, each with its sessions and limit; admin token only. */
    List<GatewayNode> nodes(Principal caller);

    /** The node running the instance's session (holding a valid lease), if any. */
    Optional<UUID> owner(UUID instanceId);

    /**
     * The epoch of the lease this node holds on the instance, empty when it holds none: what the device store's
     * writes carry, so that a node that lost the lease cannot write the instance's Signal and device state.
     */
    java.util.OptionalLong leaseEpoch(UUID instanceId);

    /** This node's id. */
    UUID node();
}
