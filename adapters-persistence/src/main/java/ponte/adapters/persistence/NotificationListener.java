package ponte.adapters.persistence;

import java.util.UUID;

/** What this node hears from the others through PostgreSQL {@code NOTIFY}. */
public interface NotificationListener {
    /** Another node stored an event: live clients of that instance here may want it. */
    void remoteEvent(UUID instanceId, UUID eventId, String event);

    /** Some node queued or re-queued deliveries (also heard after a reconnect, in case one was missed). */
    void deliveriesDue();

    /** Another node released leases (it is leaving, or handing some over): they may be taken now. */
    default void leasesReleased() {}

    /** Commands for this node's sessions were written (or may have been, after a reconnect): run them. */
    default void commandsWaiting() {}

    /** A node finished a command: whoever here waits for it may read its outcome. */
    default void commandDone(UUID commandId) {}
}
