package ponte.adapters.whatsapp.sandbox;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One virtual phone's work, run one task at a time in submission order on a thread borrowed from {@code carrier}
 * only while there is work: a phone handles its stanzas in the order the server queued them (its Signal sessions
 * need that), while different phones decrypt at once instead of queueing behind each other on one sandbox thread.
 * A task that throws is logged and the next one runs, as it would on a shared executor.
 */
final class PhoneLane implements Executor {

    private static final System.Logger LOG = System.getLogger(PhoneLane.class.getName());

    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Executor carrier;

    PhoneLane(Executor carrier) {
        this.carrier = carrier;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        drain();
    }

    private void drain() {
        if (draining.compareAndSet(false, true)) {
            carrier.execute(this::run);
        }
    }

    private void run() {
        try {
            for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "a virtual phone failed to handle a stanza", e);
                }
            }
        } finally {
            draining.set(false);
            if (!tasks.isEmpty()) {
                drain();
            }
        }
    }
}
