package ponte.adapters.whatsapp.client;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import ponte.adapters.whatsapp.binary.Node;

/** Sends an IQ to the server and completes with its result; the features depend on this, not on the socket. */
@FunctionalInterface
interface IqSender {
    CompletableFuture<Node> sendIq(String xmlns, String type, List<Node> children);
}
