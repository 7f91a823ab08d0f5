package ponte.adapters.whatsapp.client;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import ponte.adapters.whatsapp.store.SignalStateStore;

/**
 * Forgets, on the clients' shared timers, what the device store keeps about messages once it is older than the
 * retention: the keys of incoming messages already handed on (kept so a redelivery is recognised) and the sent
 * messages kept to answer retry receipts ({@link SignalStateStore#purgeHandedOn}). One purge for every device of the
 * store, first after one {@code every}, then every {@code every} until {@link #close()}.
 */
public final class KeptMessagePurge implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(KeptMessagePurge.class.getName());

    private final SignalStateStore store;
    private final Clock clock;
    private final Duration retention;
    private final Duration every;
    private final Timers timers;
    private ScheduledFuture<?> next;
    private boolean closed;

    private KeptMessagePurge(SignalStateStore store, Clock clock, Duration retention, Duration every, Timers timers) {
        if (retention.isNegative() || every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("the retention is >= 0 and the interval > 0");
        }
        this.store = store;
        this.clock = clock;
        this.retention = retention;
        this.every = every;
        this.timers = timers;
    }

    /** Starts purging {@code store} every {@code every}, dropping what is older than {@code retention}. */
    public static KeptMessagePurge start(SignalStateStore store, Clock clock, Duration retention, Duration every) {
        KeptMessagePurge purge = new KeptMessagePurge(store, clock, retention, every, Timers.shared());
        purge.schedule();
        return purge;
    }

    /** Purges once now; how many rows went. */
    public int runOnce() {
        return store.purgeHandedOn(clock.instant().minus(retention));
    }

    private synchronized void schedule() {
        if (!closed) {
            next = timers.after(every, this::run);
        }
    }

    private void run() {
        try {
            int purged = runOnce();
            LOG.log(System.Logger.Level.DEBUG, "purged {0} kept message rows", purged);
        } catch (RuntimeException e) {
            // the next round tries again; nothing is lost by purging late
            LOG.log(System.Logger.Level.WARNING, "could not purge kept messages", e);
        }
        schedule();
    }

    /** Stops the purging; a purge already running finishes. */
    @Override
    public synchronized void close() {
        closed = true;
        if (next != null) {
            next.cancel(false);
        }
    }
}
