package ponte.adapters.whatsapp.sandbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import ponte.adapters.whatsapp.binary.Node;

/**
 * The stanzas the server sent a device that it must acknowledge (calls today; notifications and receipts later),
 * kept per device JID until its {@code <ack class id>} arrives and sent again, in order, each time the device logs
 * in: a device that was offline, or that failed to keep a stanza and so never acked it, receives it again, as
 * WhatsApp's offline queue redelivers. Kept in memory: a sandbox restart forgets them.
 */
final class OfflineQueue {

    private final Map<String, Map<String, Node>> pending = new ConcurrentHashMap<>();

    /** {@code stanza} (with an {@code id}) is owed to {@code deviceJid} until acked. */
    void owe(String deviceJid, Node stanza) {
        var owed = pending.computeIfAbsent(deviceJid, jid -> new LinkedHashMap<>());
        synchronized (owed) {
            owed.put(stanza.attributeOr("id", ""), stanza);
        }
    }

    /** The device acked a stanza; true when it was owed. */
    boolean acked(String deviceJid, Node ack) {
        var owed = pending.get(deviceJid);
        if (owed == null) {
            return false;
        }
        synchronized (owed) {
            Node stanza = owed.get(ack.attributeOr("id", ""));
            if (stanza == null || !stanza.tag().equals(ack.attributeOr("class", ""))) {
                return false;
            }
            owed.remove(ack.attributeOr("id", ""));
            return true;
        }
    }

    /** What the device still owes an ack for, oldest first. */
    List<Node> owedTo(String deviceJid) {
        var owed = pending.get(deviceJid);
        if (owed == null) {
            return List.of();
        }
        synchronized (owed) {
            return new ArrayList<>(owed.values());
        }
    }

    /** Forgets a removed device's stanzas. */
    void forget(String deviceJid) {
        pending.remove(deviceJid);
    }
}
