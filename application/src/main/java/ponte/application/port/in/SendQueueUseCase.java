package ponte.application.port.in;

import java.time.Duration;

/**
 * The outgoing sender's worker loop (run by the composition root): {@link #sendDue()} starts every send that is due
 * now for the instances whose session is online on this node, then the loop waits in {@link #awaitWork} until a new
 * send is queued, an ack frees a chat, or the returned time passes.
 */
public interface SendQueueUseCase {

    /**
     * Hands every due message to the engine (outcomes are recorded as the acks come back) and sends pending read
     * receipts; returns how long the loop may sleep before something else falls due.
     */
    Duration sendDue();

    /** Sleeps until woken or {@code atMost} has passed. */
    void awaitWork(Duration atMost) throws InterruptedException;

    /** Something may be due now (a message queued on another node, an instance came online). */
    void wake();
}
