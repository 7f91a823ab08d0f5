package ponte.adapters.whatsapp.client;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.binary.Node;

/**
 * The feature that knows which devices a user has: usync device-list queries ({@code xmlns=usync}, protocol.md
 * §1.13; whatsmeow user.go {@code GetUserDevices}), answered from a cache that a {@code devices} notification about
 * the user invalidates (whatsmeow {@code handleDeviceNotification}). The same query asks for the user's LID, kept
 * here so that a notification naming either form invalidates the entry.
 */
final class DeviceLists {

    /** One user's devices as the server listed them: the user JID asked, its LID when told, device ids. */
    record Devices(Jid user, Optional<String> lid, List<Integer> ids) {

        /** Each device's JID, in the asked user's form ({@code user[:device]@server}, device 0 written bare). */
        List<Jid> jids() {
            return ids.stream().map(id -> Jid.device(user.user(), id, user.server())).toList();
        }
    }

    private final IqSender iq;
    private final LidMappings lids;
    private final Map<String, Devices> cache = new ConcurrentHashMap<>();
    private final AtomicLong sid = new AtomicLong();

    DeviceLists(IqSender iq, LidMappings lids) {
        this.iq = iq;
        this.lids = lids;
    }

    void register(NodeHandlers handlers) {
        handlers.on("notification", "devices", this::onDevicesChanged);
    }

    /**
     * The devices of each user (a JID without device, PN or LID), from the cache or from one usync query for the
     * users not cached; a user the server does not know has no devices. Completes exceptionally when the query
     * fails (an {@link IqErrorException}, or the connection's timeout).
     */
    CompletableFuture<Map<Jid, Devices>> devices(Collection<Jid> users) {
        Map<Jid, Devices> found = new LinkedHashMap<>();
        List<Jid> missing = new ArrayList<>();
        for (Jid user : users) {
            Jid bare = bare(user);
            Devices cached = cache.get(key(bare));
            if (cached != null) {
                found.put(bare, cached);
            } else if (!missing.contains(bare)) {
                missing.add(bare);
            }
        }
        if (missing.isEmpty()) {
            return CompletableFuture.completedFuture(found);
        }
        List<Node> list = missing.stream().map(user -> Node.of("user", Node.attrs("jid", user.toString()))).toList();
        Node usync = Node.withChildren("usync", Node.attrs("sid", "ponte-" + sid.incrementAndGet(), "mode", "query",
                "last", "true", "index", "0", "context", "message"), List.of(
                Node.withChildren("query", Map.of(), List.of(Node.of("devices", Node.attrs("version", "2")),
                        Node.of("lid"))),
                Node.withChildren("list", Map.of(), list)));
        // off the reader thread that completes the answer: learning the LIDs writes to the device store
        return iq.sendIq("usync", "get", List.of(usync)).thenApplyAsync(answer -> {
            Map<String, Devices> parsed = parse(answer);
            parsed.values().forEach(devices -> devices.lid().flatMap(Jid::parse)
                    .ifPresent(lid -> lids.learn(devices.user(), lid)));
            for (Jid user : missing) {
                Devices devices = parsed.getOrDefault(key(user), new Devices(user, Optional.empty(), List.of()));
                if (!devices.ids().isEmpty()) {
                    cache.put(key(user), devices);
                }
                found.put(user, devices);
            }
            return found;
        }, LidMappings.OFF_READER);
    }

    /** Forgets what was cached about a user: the next send asks the server again. */
    void invalidate(String user) {
        cache.entrySet().removeIf(entry -> entry.getValue().user().user().equals(user)
                || entry.getValue().lid().flatMap(Jid::parse).map(Jid::user).filter(user::equals).isPresent());
    }

    private void onDevicesChanged(Node notification) {
        Jid.parse(notification.attributeOr("from", "")).ifPresent(from -> invalidate(from.user()));
        // some notifications name the user of a device that was added or removed, not the sender
        notification.children().forEach(change -> change.children().forEach(device -> device.attribute("jid")
                .flatMap(Jid::parse).ifPresent(jid -> invalidate(jid.user()))));
    }

    private static Map<String, Devices> parse(Node answer) {
        Map<String, Devices> parsed = new LinkedHashMap<>();
        Optional<Node> list = answer.child("usync").flatMap(usync -> usync.child("list"));
        for (Node user : list.map(Node::children).orElse(List.of())) {
            Optional<Jid> jid = user.attribute("jid").flatMap(Jid::parse).map(DeviceLists::bare);
            if (jid.isEmpty()) {
                continue;
            }
            List<Integer> ids = user.child("devices").flatMap(devices -> devices.child("device-list"))
                    .map(Node::children).orElse(List.of()).stream()
                    .filter(device -> device.tag().equals("device"))
                    .flatMap(device -> device.attribute("id").stream())
                    .map(Integer::parseInt).distinct().toList();
            Optional<String> lid = user.child("lid").flatMap(node -> node.attribute("val"));
            parsed.put(key(jid.get()), new Devices(jid.get(), lid, ids));
        }
        return parsed;
    }

    private static Jid bare(Jid jid) {
        return Jid.device(jid.user(), 0, jid.server());
    }

    private static String key(Jid user) {
        return user.user() + "@" + user.server();
    }
}
