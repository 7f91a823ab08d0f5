package ponte.application.port.out;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import ponte.application.model.LeaseFence;
import ponte.domain.message.Jid;
import ponte.domain.message.MessageId;

/**
 * The durable outgoing queue, shared by every node: one row per accepted send, in the order it was accepted, per
 * instance and chat. A row is {@code queued} (waiting), {@code sending} (handed to the engine) or {@code done}
 * (acked or failed). A {@code sending} row that nobody on this node has in flight was left by a crash: it is sent
 * again with the same message id. Calls join the caller's transaction.
 */
public interface OutgoingQueue {

    /** Appends a send behind everything already accepted for its chat. */
    void enqueue(UUID instanceId, Jid chat, MessageId id, Send send, Instant at);

    /** The instances that have rows not yet done, whatever their time. */
    List<UUID> instancesWithWork();

    /** The first row not yet done of each of the instance's chats, oldest accepted first. */
    List<Head> heads(UUID instanceId);

    /**
     * The row is handed to the engine: {@code sending}, one more attempt; only while {@code fence} is still the
     * instance's valid lease (same node, same epoch, not expired by the database's clock). Returns whether it was
     * claimed; false means the lease moved on and the row must not be sent from here.
     */
    boolean markSending(UUID instanceId, MessageId id, Instant at, LeaseFence fence);

    /** The row waits again, not before {@code notBefore} (the instance went offline, a transient error). */
    void requeue(UUID instanceId, MessageId id, Instant notBefore);

    /** The row is finished (acked, or failed for good). */
    void done(UUID instanceId, MessageId id, Instant at);

    /** Forgets rows finished before {@code before} (their outcome lives on in the message store); how many. */
    int purgeDone(Instant before);

    /** A number checked at send time resolved to another of its forms: the row now goes to {@code chat}. */
    void retarget(UUID instanceId, MessageId id, Jid chat, Send send);

    /**
     * What goes on the wire, as accepted (the queue's {@code send} column).
     *
     * @param content what the message says, in the wire's terms
     * @param verify  when the number could not be checked at accept time (the instance was offline), its candidate
     *                JIDs, best first: the sender asks the server and fails the message when none exists
     */
    record Send(MessagingPort.WireContent content, Optional<MessagingPort.Quote> quoted, List<Jid> mentions,
                List<Jid> verify) {
        public Send {
            java.util.Objects.requireNonNull(content, "content");
            mentions = List.copyOf(mentions);
            verify = List.copyOf(verify);
        }

        /** A text send. */
        public Send(String text, boolean linkPreview, Optional<MessagingPort.Quote> quoted, List<Jid> mentions,
                    List<Jid> verify) {
            this(new MessagingPort.WireContent.Text(text, linkPreview), quoted, mentions, verify);
        }

        /** The same send once its number was checked: nothing left to verify. */
        public Send verified() {
            return new Send(content, quoted, mentions, List.of());
        }
    }

    /** A chat's next row. */
    record Head(MessageId id, Jid chat, boolean sending, int attempts, Instant notBefore, Send send) {}
}
