package ponte.application.service;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import ponte.application.port.out.LeaseStore.NodeRecord;

/**
 * How this node holds leases. {@code leaseTime} is what each renewal adds to the database's {@code now()}; the node
 * renews every quarter of it, and stops its sessions once {@link #stopAfter()} has passed on its monotonic clock
 * since its last successful renewal was sent, which leaves {@code leaseTime - stopAfter} for the sockets to close
 * and for clock-rate differences before any other node may take the lease.
 *
 * @param handOverWindow a joining node gets its fair share over about this long: the surplus is handed over a
 *                       slice per round, not all at once
 */
public record LeaseSettings(NodeRecord node, Duration leaseTime, Duration handOverWindow) {
    /** 20 s leases: a dead node's instances run elsewhere within 25 s (lease plus one round). */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(20);
    public static final Duration DEFAULT_HAND_OVER_WINDOW = Duration.ofMinutes(1);

    public LeaseSettings {
        if (leaseTime.compareTo(Duration.ofSeconds(2)) < 0) {
            throw new IllegalArgumentException("a lease shorter than 2 s cannot be renewed in time");
        }
    }

    public UUID nodeId() {
        return node.id();
    }

    public Optional<Integer> maxSessions() {
        return node.maxSessions();
    }

    /** A quarter of the lease: two renewals in a row may fail before the deadline stops the sessions. */
    public Duration renewEvery() {
        return leaseTime.dividedBy(4);
    }

    /** Three fifths of the lease: past this without a renewal, the node stops its sessions. */
    public Duration stopAfter() {
        return leaseTime.multipliedBy(3).dividedBy(5);
    }
}
