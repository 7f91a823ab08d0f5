package ponte.adapters.whatsapp.client;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import ponte.adapters.whatsapp.binary.Node;

/**
 * The table incoming nodes are dispatched through, keyed by tag and kind: an IQ's kind is its first child's tag (its
 * {@code xmlns} when it has none), any other node's kind is its {@code type} attribute (whatsmeow's handleIQ and
 * handleNotification switch on the same). Each feature registers the kinds it handles; a handler registered for a
 * tag without a kind takes that tag's nodes no more specific handler claims.
 */
final class NodeHandlers {

    /** Handles one node; a handler that throws has not handled it (see {@link Inbox}). */
    @FunctionalInterface
    interface Handler {
        void handle(Node node) throws Exception;
    }

    private static final String ANY = "*";

    private final Map<String, Handler> handlers = new ConcurrentHashMap<>();

    /** Registers {@code handler} for nodes of {@code tag} and {@code kind}; fails when the key is taken. */
    void on(String tag, String kind, Handler handler) {
        if (handlers.putIfAbsent(key(tag, kind), handler) != null) {
            throw new IllegalStateException("a handler for " + key(tag, kind) + " is already registered");
        }
    }

    /** Registers {@code handler} for the nodes of {@code tag} that no handler of their kind claims. */
    void on(String tag, Handler handler) {
        on(tag, ANY, handler);
    }

    Optional<Handler> find(Node node) {
        Handler exact = handlers.get(key(node.tag(), kindOf(node)));
        return Optional.ofNullable(exact != null ? exact : handlers.get(key(node.tag(), ANY)));
    }

    static String kindOf(Node node) {
        if (node.tag().equals("iq")) {
            return node.children().isEmpty() ? node.attributeOr("xmlns", "") : node.children().getFirst().tag();
        }
        return node.attributeOr("type", "");
    }

    private static String key(String tag, String kind) {
        return tag + "/" + kind;
    }
}
