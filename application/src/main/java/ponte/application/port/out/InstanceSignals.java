package ponte.application.port.out;

import java.time.Duration;
import java.util.UUID;

/**
 * Tells waiters that something about an instance changed (its status, its QR code), fed by the same committed
 * events the live feed carries: this node's after their commit, other nodes' through PostgreSQL NOTIFY. Each
 * instance has a counter that every change raises, so a change between reading the state and starting to wait is
 * never missed.
 */
public interface InstanceSignals {
    /** The instance's counter now; read it before reading the state you will wait on. */
    long version(UUID instanceId);

    /** Waits until the counter passes {@code seen}, at most {@code wait}; returns the counter then. */
    long awaitAfter(UUID instanceId, long seen, Duration wait) throws InterruptedException;
}
