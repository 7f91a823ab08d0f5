package ponte.application.service;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * This node's in-process signals around the outgoing queue: a wake-up for the sender (a send was queued, an ack
 * freed a chat) and a counter every recorded outcome raises, on which a send with {@code ?wait=true} waits. Other
 * nodes' outcomes are not signalled here: their waiters poll the store.
 */
final class MessageSignals {
    private boolean wakeup;
    private long outcomes;

    synchronized void wakeSender() {
        wakeup = true;
        notifyAll();
    }

    synchronized void awaitWork(Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!wakeup) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        wakeup = false;
    }

    synchronized void outcomeRecorded() {
        outcomes++;
        notifyAll();
    }

    synchronized long outcomes() {
        return outcomes;
    }

    /** Waits until an outcome after {@code seen} is recorded, at most {@code atMost}. */
    synchronized void awaitOutcomeAfter(long seen, Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (outcomes <= seen) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
