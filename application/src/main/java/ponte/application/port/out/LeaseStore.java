package ponte.application.port.out;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import ponte.application.model.GatewayNode;
import ponte.application.model.LeaseFence;

/**
 * Which gateway node runs which instance's session: one lease row per instance (owner node, expiry, fencing epoch)
 * and one heartbeat row per node, in the database every node shares. Every expiry and heartbeat is the database's
 * clock ({@code now()}), never a node's; {@code leaseTime} is only ever added to it. The epoch grows with every
 * change of owner (a release and a re-take by the same node included), so a write stamped with an older epoch is
 * recognisably stale. Each method is one statement (one round trip) and commits on its own.
 */
public interface LeaseStore {
    /** Registers this node, or refreshes its row when it registers again (a restart under the same id). */
    void join(NodeRecord node);

    /**
     * The heartbeat and the batched renewal in one statement: the node's heartbeat becomes {@code now()} and every
     * lease it holds that has not expired runs until {@code now() + leaseTime}, except a deleted instance's. Returns
     * the leases it still holds; one it believed held but that is missing was lost (it expired and may already run
     * elsewhere, or its instance was deleted).
     */
    List<LeaseFence> renew(UUID node, Duration leaseTime);

    /**
     * Takes up to {@code limit} free or expired leases of instances whose sessions resume by themselves: live,
     * linked to an account, and not stopped for one of {@code stoppingReasons} (wire names). Instances another node
     * is taking at the same moment are skipped, not waited for. Returns what it took, each with its new epoch.
     */
    List<LeaseFence> acquireResumable(UUID node, int limit, Set<String> stoppingReasons, Duration leaseTime);

    /**
     * Takes the lease of one instance when it is free, expired, or already this node's (then renewed, same epoch).
     * Empty when another node holds a valid one.
     */
    Optional<LeaseFence> acquire(UUID node, UUID instanceId, Duration leaseTime);

    /**
     * Gives leases up at once (owner cleared, expired now) so another node may take them without waiting for the
     * expiry; only the rows this node holds change. Wakes the other nodes.
     */
    void release(UUID node, Collection<UUID> instanceIds);

    /** Releases every lease of the node and removes its row: a graceful stop. Wakes the other nodes. */
    void leave(UUID node);

    /**
     * The fleet as a balancing node sees it: how many nodes heartbeated within {@code liveWithin} (this one
     * included), how many instances would resume by themselves (same rule as {@link #acquireResumable}), and how
     * many of those {@code node} holds a valid lease on.
     */
    Fleet fleet(UUID node, Duration liveWithin, Set<String> stoppingReasons);

    /** Every registered node with the number of valid leases it holds, newest heartbeat first. */
    List<GatewayNode> nodes();

    /** The node holding a valid lease on the instance, if one does. */
    Optional<Holder> holder(UUID instanceId);

    /** What a node says about itself when it joins; {@code maxSessions} empty means no limit. */
    record NodeRecord(UUID id, String address, String version, Optional<Integer> maxSessions) {}

    /** Who holds an instance's lease and until when (database time). */
    record Holder(UUID node, String address, long epoch, Instant expiresAt) {}

    /** Live nodes and resumable instances, for a node's fair share. */
    record Fleet(int liveNodes, int resumable, int heldResumable) {}
}
