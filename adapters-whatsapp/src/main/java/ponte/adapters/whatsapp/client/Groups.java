package ponte.adapters.whatsapp.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.binary.Node;

/**
 * The feature that knows groups: a group's metadata from {@code <iq xmlns=w:g2 type=get to=gid><query
 * request=interactive/></iq>} (protocol.md §1.14; whatsmeow group.go {@code getGroupInfo}), kept in a cache that a
 * {@code w:gp2} notification about the group invalidates (protocol.md §1.21; whatsmeow
 * {@code handleGroupInfoChange}). A notification that removes participants is also handed to
 * {@code onRemoved}, so that our sender key in that group is replaced (the removed must not read on).
 */
final class Groups {

    private static final System.Logger LOG = System.getLogger(Groups.class.getName());
    private static final String GROUP_SERVER = "g.us";

    /** An IQ to a given address (a group's JID), completing with the result or failing with its error. */
    @FunctionalInterface
    interface Iq {
        CompletableFuture<Node> send(String to, String xmlns, String type, List<Node> children);
    }

    private final Iq iq;
    private final Consumer<String> onRemoved;
    private final Map<String, GroupInfo> cache = new ConcurrentHashMap<>();

    Groups(Iq iq, Consumer<String> onRemoved) {
        this.iq = iq;
        this.onRemoved = onRemoved;
    }

    void register(NodeHandlers handlers) {
        handlers.on("notification", "w:gp2", this::onGroupChanged);
    }

    /**
     * The group's metadata, from the cache or the server; empty when the group does not exist (404) or we are not
     * in it (403). Fails with {@link IllegalArgumentException} for a JID that is not a group's, or with the IQ's
     * failure otherwise.
     */
    CompletableFuture<Optional<GroupInfo>> info(String groupJid) {
        Jid group = Jid.parse(groupJid == null ? "" : groupJid.trim())
                .filter(jid -> jid.server().equals(GROUP_SERVER) && !jid.user().isEmpty())
                .orElseThrow(() -> new IllegalArgumentException("not a group JID: " + groupJid));
        String key = group.user() + "@" + GROUP_SERVER;
        GroupInfo cached = cache.get(key);
        if (cached != null) {
            return CompletableFuture.completedFuture(Optional.of(cached));
        }
        return iq.send(key, "w:g2", "get", List.of(Node.of("query", Node.attrs("request", "interactive"))))
                .handle((answer, error) -> {
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                        if (cause instanceof IqErrorException iqError
                                && (iqError.code() == 404 || iqError.code() == 403)) {
                            return Optional.<GroupInfo>empty();
                        }
                        throw cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
                    }
                    Optional<GroupInfo> info = answer.child("group").map(node -> parse(key, node));
                    info.ifPresent(found -> cache.put(key, found));
                    return info;
                });
    }

    /** Forgets the group: its next use asks the server again. */
    void invalidate(String groupJid) {
        cache.remove(groupJid);
    }

    private void onGroupChanged(Node notification) {
        String group = notification.attributeOr("from", "");
        invalidate(group);
        if (notification.children().stream().anyMatch(change -> change.tag().equals("remove")
                || change.tag().equals("leave"))) {
            try {
                onRemoved.accept(group);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "could not replace our sender key in " + group, e);
            }
        }
    }

    /**
     * {@code <group id subject addressing_mode><participant jid [lid|phone_number] [type]/>…</group>}; the id is
     * written with or without {@code @g.us}.
     */
    static GroupInfo parse(String jid, Node group) {
        String mode = group.attributeOr("addressing_mode", "pn");
        List<GroupInfo.Participant> participants = new ArrayList<>();
        for (Node participant : group.children()) {
            if (!participant.tag().equals("participant") || participant.attribute("jid").isEmpty()) {
                continue;
            }
            String member = participant.attribute("jid").orElseThrow();
            Optional<String> other = member.endsWith("@lid") ? participant.attribute("phone_number")
                    : participant.attribute("lid");
            participants.add(new GroupInfo.Participant(member, other, participant.attributeOr("type", "")));
        }
        return new GroupInfo(jid, group.attributeOr("subject", ""), mode, participants);
    }
}
