package ponte.bootstrap;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import ponte.application.port.out.InstanceSignals;
import ponte.application.port.out.LiveEvents;
import ponte.domain.event.EventEnvelope;

/**
 * Wakes whoever waits for an instance to change (a connect waiting for its first QR code, a QR stream), fed by the
 * committed events: this node's through the fan-out, other nodes' through PostgreSQL NOTIFY. One counter per
 * instance that ever changed or was waited on while this node runs.
 */
final class EventSignals implements InstanceSignals, LiveEvents {
    private final ConcurrentHashMap<UUID, Counter> counters = new ConcurrentHashMap<>();

    @Override
    public void published(EventEnvelope event, boolean deliveriesQueued) {
        changed(event.instanceId());
    }

    /** Another node stored an event of this instance. */
    void changed(UUID instanceId) {
        counter(instanceId).raise();
    }

    @Override
    public long version(UUID instanceId) {
        return counter(instanceId).value();
    }

    @Override
    public long awaitAfter(UUID instanceId, long seen, Duration wait) throws InterruptedException {
        return counter(instanceId).awaitAfter(seen, wait);
    }

    private Counter counter(UUID instanceId) {
        return counters.computeIfAbsent(instanceId, id -> new Counter());
    }

    private static final class Counter {
        private long value;

        synchronized void raise() {
            value++;
            notifyAll();
        }

        synchronized long value() {
            return value;
        }

        synchronized long awaitAfter(long seen, Duration wait) throws InterruptedException {
            long deadline = System.nanoTime() + wait.toNanos();
            while (value <= seen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return value;
        }
    }
}
