package ponte.adapters.whatsapp.client;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import ponte.adapters.whatsapp.binary.Node;

/**
 * The feature for receipts about messages: read receipts this device sends for messages it received
 * ({@code <receipt type=read id=first to=chat [participant] t><list><item id/>…</list></receipt>}, the first id in
 * the attribute and the rest listed; protocol.md §1.15, whatsmeow receipt.go {@code MarkRead}).
 */
final class Receipts {

    private final Inbox.Sender sender;
    private final Clock clock;

    Receipts(Inbox.Sender sender, Clock clock) {
        this.sender = sender;
        this.clock = clock;
    }

    /**
     * Marks {@code ids} of {@code chat} read; {@code participant} is their sender in a group (null for 1:1). The
     * server does not ack receipts: this returns once the stanza is written.
     */
    void markRead(String chat, String participant, List<String> ids) throws IOException {
        if (ids.isEmpty()) {
            return;
        }
        var attrs = Node.attrs("id", ids.getFirst(), "type", "read", "to", chat,
                "t", Long.toString(clock.instant().getEpochSecond()));
        if (participant != null) {
            attrs.put("participant", participant);
        }
        List<Node> rest = ids.subList(1, ids.size()).stream()
                .map(id -> Node.of("item", Node.attrs("id", id))).toList();
        sender.send(rest.isEmpty() ? Node.of("receipt", attrs)
                : Node.withChildren("receipt", attrs, List.of(Node.withChildren("list", Map.of(), rest))));
    }
}
