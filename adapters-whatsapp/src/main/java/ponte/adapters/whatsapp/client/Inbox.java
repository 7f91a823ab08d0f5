package ponte.adapters.whatsapp.client;

import java.io.IOException;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.binary.Node;

/**
 * One client's inbox: the nodes its connection does not settle on the reader thread (IQ answers and the server's
 * verdicts are settled there), handed to their handler from {@link NodeHandlers} one at a time, in arrival order,
 * on a virtual thread, so a handler may block (store, ask the server) without stalling the reader or reordering.
 *
 * <p>Stanzas the server wants acknowledged (messages, notifications, receipts, calls: whatsmeow receipt.go sendAck) are acked
 * only after their handler returned, that is after whatever it stores is committed. A handler that throws gets no
 * ack, and the failure is logged as an error: the server delivers the stanza again on the next connection.
 */
final class Inbox {

    /** Sends a node on the current connection. */
    @FunctionalInterface
    interface Sender {
        void send(Node node) throws IOException;
    }

    private static final System.Logger LOG = System.getLogger(Inbox.class.getName());
    private static final Set<String> ACKED = Set.of("message", "notification", "receipt", "call");

    private final NodeHandlers handlers;
    private final Sender sender;
    private final Queue<Node> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    /** The stanza being handled whose handler took its ack over ({@link #deferAck}); inbox thread only. */
    private Node deferred;

    Inbox(NodeHandlers handlers, Sender sender) {
        this.handlers = handlers;
        this.sender = sender;
    }

    /** Queues {@code node} behind the ones before it; returns at once. */
    void accept(Node node) {
        queue.add(node);
        drain();
    }

    private void drain() {
        if (draining.compareAndSet(false, true)) {
            Thread.ofVirtual().name("wa-inbox").start(this::run);
        }
    }

    private void run() {
        try {
            for (Node node = queue.poll(); node != null; node = queue.poll()) {
                handle(node);
            }
        } finally {
            draining.set(false);
            if (!queue.isEmpty()) {
                drain();
            }
        }
    }

    private void handle(Node node) {
        var handler = handlers.find(node);
        try {
            if (handler.isPresent()) {
                handler.get().handle(node);
            } else {
                LOG.log(System.Logger.Level.DEBUG, "no handler for {0}/{1}", node.tag(), NodeHandlers.kindOf(node));
            }
        } catch (Exception e) {
            // not acknowledged: the server keeps the stanza and delivers it again when we reconnect
            LOG.log(System.Logger.Level.ERROR, "handling " + node.tag() + "/" + NodeHandlers.kindOf(node) + " "
                    + node.attributeOr("id", "") + " failed; it stays unacknowledged", e);
            return;
        }
        if (deferred == node) {
            deferred = null;
            return;
        }
        if (ACKED.contains(node.tag())) {
            acknowledge(node);
        }
    }

    /**
     * Handles {@code node} at once on the caller's thread, ahead of the queue (an answer a queued handler may be
     * waiting for), and acks it as the inbox would; a handler that throws leaves it unacknowledged.
     */
    void settle(Node node, NodeHandlers.Handler handler) {
        try {
            handler.handle(node);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.ERROR, "settling " + node.tag() + "/" + NodeHandlers.kindOf(node) + " "
                    + node.attributeOr("id", "") + " failed; it stays unacknowledged", e);
            return;
        }
        if (ACKED.contains(node.tag())) {
            acknowledge(node);
        }
    }

    /**
     * Called by a handler, on the inbox, for the stanza it is handling: the inbox does not ack it when the handler
     * returns; the returned action does, later, from any thread (once what the stanza carried is kept elsewhere).
     */
    Runnable deferAck(Node stanza) {
        deferred = stanza;
        return () -> acknowledge(stanza);
    }

    private void acknowledge(Node stanza) {
        stanza.attribute("id").ifPresent(id -> {
            var attrs = Node.attrs("class", stanza.tag(), "id", id, "to", stanza.attributeOr("from", Jid.USER_SERVER));
            stanza.attribute("participant").ifPresent(participant -> attrs.put("participant", participant));
            stanza.attribute("type").ifPresent(type -> attrs.put("type", type));
            try {
                sender.send(Node.of("ack", attrs));
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "could not acknowledge " + stanza.tag(), e);
            }
        });
    }
}
