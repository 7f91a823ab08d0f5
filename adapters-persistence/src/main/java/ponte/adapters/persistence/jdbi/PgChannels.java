package ponte.adapters.persistence.jdbi;

import org.jdbi.v3.core.Handle;

/**
 * The PostgreSQL NOTIFY channels of the outbox. A NOTIFY sent inside the caller's transaction is delivered only on
 * commit, so a listener never hears of what is not durable.
 */
public final class PgChannels {
    /** Payload {@code <node>|<instance>|<event id>|<event type>}: an event was stored. */
    public static final String EVENTS = "ponte_events";
    /** Empty payload: deliveries became due; every node's dispatcher wakes. */
    public static final String DELIVERIES = "ponte_deliveries";
    /** Payload {@code <node>}: that node released leases; the others may take them now. */
    public static final String LEASES = "ponte_leases";
    /** Payload {@code run|<node>} (commands wait for that node) or {@code done|<command id>} (an outcome is in). */
    public static final String COMMANDS = "ponte_commands";

    private PgChannels() {}

    static void notify(Handle h, String channel, String payload) {
        h.createQuery("select pg_notify(:channel, :payload)").bind("channel", channel).bind("payload", payload)
                .mapTo(String.class).findOne();
    }
}
