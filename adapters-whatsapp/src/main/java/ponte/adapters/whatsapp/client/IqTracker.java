package ponte.adapters.whatsapp.client;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import ponte.adapters.whatsapp.binary.Node;

/**
 * Pairs IQ requests with their responses by id. Every request ends: answered, timed out, or failed together
 * with all others when the connection drops.
 */
final class IqTracker {

    private final Map<String, CompletableFuture<Node>> pending = new ConcurrentHashMap<>();

    CompletableFuture<Node> expect(String id, Duration timeout) {
        CompletableFuture<Node> response = new CompletableFuture<>();
        if (pending.putIfAbsent(id, response) != null) {
            throw new IllegalStateException("IQ id " + id + " is already waiting");
        }
        response.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((node, error) -> pending.remove(id, response));
        return response;
    }

    /** Completes the matching request; false when the node answers nothing we asked. */
    boolean complete(Node node) {
        if (!node.tag().equals("iq")) {
            return false;
        }
        String type = node.attributeOr("type", "");
        if (!type.equals("result") && !type.equals("error")) {
            return false;
        }
        CompletableFuture<Node> response = pending.remove(node.attributeOr("id", ""));
        if (response == null) {
            return false;
        }
        if (type.equals("error")) {
            response.completeExceptionally(new IqErrorException(node));
        } else {
            response.complete(node);
        }
        return true;
    }

    void failAll(Throwable cause) {
        pending.values().forEach(response -> response.completeExceptionally(cause));
        pending.clear();
    }

    int waiting() {
        return pending.size();
    }
}
