package ponte.adapters.whatsapp.client;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
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
 * The feature that knows and changes groups, through {@code <iq xmlns=w:g2>} (protocol.md §1.14, §1.21; whatsmeow
 * group.go, Baileys groups.ts):
 * <ul>
 * <li>a group's metadata ({@code type=get to=gid <query request=interactive/>}), kept in a cache that a
 * {@code w:gp2} notification about the group, or a change we made, invalidates;</li>
 * <li>the groups we are in ({@code type=get to=@g.us <participating><participants/><description/>});</li>
 * <li>create ({@code type=set to=@g.us <create subject key><participant jid/>…</create>}), leave
 * ({@code to=@g.us <leave><group id/></leave>}) and join by invite code ({@code to=@g.us <invite code/>}, answered
 * {@code <group jid/>});</li>
 * <li>on a group ({@code type=set to=gid}): subject ({@code <subject>UTF-8</subject>}), description
 * ({@code <description id prev><body>UTF-8</body></description>}, or {@code delete="true"} without a body),
 * {@code <announcement/>}/{@code <not_announcement/>}, {@code <locked/>}/{@code <unlocked/>}, participants
 * ({@code <add|remove|promote|demote><participant jid/>…}, answered per participant with an optional
 * {@code error}) and the invite code ({@code type=get <invite/>}, answered {@code <invite code/>}).</li>
 * </ul>
 * A failed IQ fails the future with {@link IqErrorException}: 404 no such group, 403 not a member or not allowed
 * (a non-admin's change), 406 or 410 an unknown or revoked invite code, 400 a malformed request.
 *
 * <p>Every {@code w:gp2} notification (a change anyone made, ours included) is handed over to be kept as a
 * {@link CompanionEvent.GroupChanged} before it is acked; one that removes participants is also handed to
 * {@code onRemoved}, so that our sender key in that group is replaced (the removed must not read on), and one that
 * adds participants only drops the cache, so the next send hands our key to the new members' devices.
 */
final class Groups {

    private static final System.Logger LOG = System.getLogger(Groups.class.getName());
    private static final String GROUP_SERVER = "g.us";
    private static final String GROUPS = "@" + GROUP_SERVER;

    /** An IQ to a given address (a group's JID), completing with the result or failing with its error. */
    @FunctionalInterface
    interface Iq {
        CompletableFuture<Node> send(String to, String xmlns, String type, List<Node> children);
    }

    private final Iq iq;
    private final Consumer<String> onRemoved;
    private final Consumer<CompanionEvent.Received> keep;
    private final SecureRandom random;
    private final LidMappings lids;
    private final Map<String, GroupInfo> cache = new ConcurrentHashMap<>();
    /** Each group member's other name (LID or phone-number JID) by user, as group metadata told it. */
    private final Map<String, String> otherNames = new ConcurrentHashMap<>();

    Groups(Iq iq, Consumer<String> onRemoved, Consumer<CompanionEvent.Received> keep, SecureRandom random,
           LidMappings lids) {
        this.iq = iq;
        this.onRemoved = onRemoved;
        this.keep = keep;
        this.random = random;
        this.lids = lids;
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
        String key = groupKey(groupJid);
        GroupInfo cached = cache.get(key);
        if (cached != null) {
            return CompletableFuture.completedFuture(Optional.of(cached));
        }
        return iq.send(key, "w:g2", "get", List.of(Node.of("query", Node.attrs("request", "interactive"))))
                .handle((answer, error) -> {
                    if (error != null) {
                        Throwable cause = unwrap(error);
                        if (cause instanceof IqErrorException iqError
                                && (iqError.code() == 404 || iqError.code() == 403)) {
                            return Optional.<GroupInfo>empty();
                        }
                        throw cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
                    }
                    Optional<GroupInfo> info = answer.child("group").map(node -> parse(key, node));
                    info.ifPresent(found -> cache.put(key, remembered(found)));
                    return info;
                });
    }

    /** The groups the account is in, with participants and descriptions, as the server lists them. */
    CompletableFuture<List<GroupInfo>> joined() {
        return iq.send(GROUPS, "w:g2", "get", List.of(Node.withChildren("participating", Map.of(),
                List.of(Node.of("participants"), Node.of("description"))))).thenApply(answer -> {
                    List<GroupInfo> found = new ArrayList<>();
                    answer.child("groups").map(Node::children).orElse(List.of()).stream()
                            .filter(node -> node.tag().equals("group"))
                            .forEach(node -> {
                                GroupInfo info = parse(node.attributeOr("id", ""), node);
                                cache.put(info.jid(), remembered(info));
                                found.add(info);
                            });
                    return found;
                });
    }

    /**
     * Creates a group named {@code subject} with these accounts (JIDs; we are added by the server as its
     * superadmin); completes with the new group as the server describes it.
     */
    CompletableFuture<GroupInfo> create(String subject, List<String> participants) {
        List<Node> members = participants.stream().map(jid -> Node.of("participant", Node.attrs("jid", jid)))
                .toList();
        byte[] key = new byte[8];
        random.nextBytes(key);
        return iq.send(GROUPS, "w:g2", "set", List.of(Node.withChildren("create",
                Node.attrs("subject", subject, "key", HexFormat.of().withUpperCase().formatHex(key)), members)))
                .thenApply(answer -> {
                    Node group = answer.child("group").orElseThrow(() -> new IllegalStateException(
                            "the server's answer to a group create has no <group>"));
                    GroupInfo info = parse(group.attributeOr("id", ""), group);
                    cache.put(info.jid(), remembered(info));
                    return info;
                });
    }

    /** Renames the group. */
    CompletableFuture<Void> setSubject(String groupJid, String subject) {
        return change(groupJid, Node.withBytes("subject", Map.of(), subject.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Sets the group's description, or deletes it when {@code description} is empty; the change names the current
     * description's id as {@code prev}, read from the metadata first.
     */
    CompletableFuture<Void> setDescription(String groupJid, String description) {
        return info(groupJid).thenCompose(current -> {
            byte[] id = new byte[8];
            random.nextBytes(id);
            var attrs = Node.attrs("id", HexFormat.of().withUpperCase().formatHex(id));
            current.flatMap(GroupInfo::descriptionId).ifPresent(prev -> attrs.put("prev", prev));
            if (description.isEmpty()) {
                attrs.put("delete", "true");
                return change(groupJid, Node.of("description", attrs));
            }
            return change(groupJid, Node.withChildren("description", attrs, List.of(Node.withBytes("body", Map.of(),
                    description.getBytes(StandardCharsets.UTF_8)))));
        });
    }

    /** Only admins may send ({@code true}), or everyone may. */
    CompletableFuture<Void> setAnnounce(String groupJid, boolean announce) {
        return change(groupJid, Node.of(announce ? "announcement" : "not_announcement"));
    }

    /** Only admins may edit the group's info ({@code true}), or everyone may. */
    CompletableFuture<Void> setLocked(String groupJid, boolean locked) {
        return change(groupJid, Node.of(locked ? "locked" : "unlocked"));
    }

    /**
     * Adds, removes, promotes or demotes ({@code action}) these accounts (JIDs); one outcome per participant the
     * server answered for.
     */
    CompletableFuture<List<ParticipantOutcome>> changeParticipants(String groupJid, String action,
            List<String> participants) {
        if (!List.of("add", "remove", "promote", "demote").contains(action)) {
            throw new IllegalArgumentException("not a participants action: " + action);
        }
        String key = groupKey(groupJid);
        List<Node> asked = participants.stream().map(jid -> Node.of("participant", Node.attrs("jid", jid))).toList();
        return iq.send(key, "w:g2", "set", List.of(Node.withChildren(action, Map.of(), asked))).thenApply(answer -> {
            invalidate(key);
            List<ParticipantOutcome> outcomes = new ArrayList<>();
            answer.child(action).map(Node::children).orElse(List.of()).stream()
                    .filter(node -> node.tag().equals("participant"))
                    .forEach(node -> {
                        String jid = node.attributeOr("jid", "");
                        Optional<String> other = jid.endsWith("@lid") ? node.attribute("phone_number")
                                : node.attribute("lid");
                        outcomes.add(new ParticipantOutcome(jid, other, parseInt(node.attributeOr("error", "0"))));
                    });
            return outcomes;
        });
    }

    /** The group's current invite code (the part after {@code https://chat.whatsapp.com/}). */
    CompletableFuture<String> inviteCode(String groupJid) {
        return iq.send(groupKey(groupJid), "w:g2", "get", List.of(Node.of("invite")))
                .thenApply(answer -> answer.child("invite").flatMap(node -> node.attribute("code"))
                        .orElseThrow(() -> new IllegalStateException("the server's answer has no invite code")));
    }

    /** Joins the group this invite code is of; completes with its JID. */
    CompletableFuture<String> join(String code) {
        return iq.send(GROUPS, "w:g2", "set", List.of(Node.of("invite", Node.attrs("code", code))))
                .thenApply(answer -> {
                    String jid = answer.child("group").flatMap(node -> node.attribute("jid"))
                            .orElseThrow(() -> new IllegalStateException("the server's answer names no group"));
                    invalidate(jid);
                    return jid;
                });
    }

    /** Leaves the group. */
    CompletableFuture<Void> leave(String groupJid) {
        String key = groupKey(groupJid);
        return iq.send(GROUPS, "w:g2", "set", List.of(Node.withChildren("leave", Map.of(),
                List.of(Node.of("group", Node.attrs("id", key)))))).thenApply(answer -> {
                    invalidate(key);
                    return null;
                });
    }

    /** Forgets the group: its next use asks the server again. */
    void invalidate(String groupJid) {
        cache.remove(groupJid);
    }

    private CompletableFuture<Void> change(String groupJid, Node request) {
        String key = groupKey(groupJid);
        return iq.send(key, "w:g2", "set", List.of(request)).thenApply(answer -> {
            invalidate(key);
            return null;
        });
    }

    private void onGroupChanged(Node notification) {
        String group = notification.attributeOr("from", "");
        invalidate(group);
        List<CompanionEvent.GroupChange> changes = new ArrayList<>();
        for (Node child : notification.children()) {
            CompanionEvent.GroupChange change = parseChange(group, child);
            remember(change.participants());
            changes.add(change);
        }
        if (changes.stream().anyMatch(change -> change.kind().equals("remove") || change.kind().equals("leave"))) {
            try {
                onRemoved.accept(group);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "could not replace our sender key in " + group, e);
            }
        }
        Optional<String> author = notification.attribute("participant").filter(jid -> !jid.isEmpty());
        keep.accept(new CompanionEvent.GroupChanged(notification.attributeOr("id", ""), group, author,
                notification.attribute("participant_pn").or(() -> notification.attribute("participant_lid"))
                        .or(() -> author.flatMap(this::otherName)),
                seconds(notification.attributeOr("t", "")), changes));
    }

    /** Keeps the other names of a group's members ({@link #otherName}); returns the group. */
    private GroupInfo remembered(GroupInfo info) {
        remember(info.participants());
        return info;
    }

    private void remember(List<GroupInfo.Participant> participants) {
        participants.forEach(member -> member.other().ifPresent(other -> Jid.parse(member.jid())
                .ifPresent(jid -> otherNames.put(jid.user() + "@" + jid.server(), other))));
    }

    /**
     * The other name (LID of a phone-number JID, or the reverse) of a notification's author the notification did
     * not give: as group metadata or an earlier notification named that member, else from the PN-LID mappings the
     * device learnt.
     */
    private Optional<String> otherName(String author) {
        Optional<Jid> parsed = Jid.parse(author);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        Jid bare = Jid.device(parsed.get().user(), 0, parsed.get().server());
        return Optional.ofNullable(otherNames.get(bare.user() + "@" + bare.server()))
                .or(() -> switch (bare.server()) {
                    case Jid.LID_SERVER -> lids.phoneOf(bare.user()).map(pn -> pn + "@" + Jid.USER_SERVER);
                    case Jid.USER_SERVER -> lids.lidOf(bare.user()).map(lid -> lid + "@" + Jid.LID_SERVER);
                    default -> Optional.<String>empty();
                });
    }

    /** One child of a {@code w:gp2} notification, as whatsmeow group.go {@code parseGroupChange} reads them. */
    private static CompanionEvent.GroupChange parseChange(String group, Node child) {
        String kind = child.tag();
        List<GroupInfo.Participant> participants = participants(child);
        Optional<GroupInfo> created = Optional.empty();
        Optional<String> text = Optional.empty();
        if (kind.equals("create")) {
            created = child.child("group").map(node -> parse(group, node));
            participants = created.map(GroupInfo::participants).orElse(List.of());
            text = created.map(GroupInfo::subject);
        } else if (kind.equals("subject")) {
            text = child.attribute("subject");
        } else if (kind.equals("description")) {
            text = child.child("body").flatMap(Node::text);
        } else if (kind.equals("invite")) {
            text = child.attribute("code");
        }
        return new CompanionEvent.GroupChange(kind, child.attribute("reason"), participants, text, created);
    }

    private static List<GroupInfo.Participant> participants(Node parent) {
        List<GroupInfo.Participant> participants = new ArrayList<>();
        for (Node participant : parent.children()) {
            if (!participant.tag().equals("participant") || participant.attribute("jid").isEmpty()
                    || parseInt(participant.attributeOr("error", "0")) != 0) {
                continue;
            }
            String member = participant.attribute("jid").orElseThrow();
            Optional<String> other = member.endsWith("@lid") ? participant.attribute("phone_number")
                    : participant.attribute("lid");
            participants.add(new GroupInfo.Participant(member, other, participant.attributeOr("type", "")));
        }
        return participants;
    }

    /** {@code …@g.us} for a group JID with or without its server; {@link IllegalArgumentException} otherwise. */
    private static String groupKey(String groupJid) {
        Jid group = Jid.parse(groupJid == null ? "" : groupJid.trim())
                .filter(jid -> jid.server().equals(GROUP_SERVER) && !jid.user().isEmpty())
                .orElseThrow(() -> new IllegalArgumentException("not a group JID: " + groupJid));
        return group.user() + "@" + GROUP_SERVER;
    }

    /**
     * {@code <group id subject creator creation addressing_mode><participant jid [lid|phone_number] [type]/>…
     * </group>}; the id is written with or without {@code @g.us}.
     */
    static GroupInfo parse(String jid, Node group) {
        String key = jid.contains("@") ? jid : jid + "@" + GROUP_SERVER;
        Optional<Node> description = group.child("description");
        return new GroupInfo(key, group.attributeOr("subject", ""), group.attributeOr("addressing_mode", "pn"),
                participants(group), description.flatMap(node -> node.child("body")).flatMap(Node::text),
                description.flatMap(node -> node.attribute("id")),
                group.attribute("creator").filter(creator -> !creator.isEmpty()),
                seconds(group.attributeOr("creation", "")),
                group.child("announcement").isPresent(), group.child("locked").isPresent(), refused(group));
    }

    /** The {@code <participant jid error/>} children: asked participants a create did not add. */
    private static List<ParticipantOutcome> refused(Node group) {
        List<ParticipantOutcome> refused = new ArrayList<>();
        for (Node participant : group.children()) {
            int error = parseInt(participant.attributeOr("error", "0"));
            if (participant.tag().equals("participant") && error != 0 && participant.attribute("jid").isPresent()) {
                String jid = participant.attribute("jid").orElseThrow();
                refused.add(new ParticipantOutcome(jid, jid.endsWith("@lid") ? participant.attribute("phone_number")
                        : participant.attribute("lid"), error));
            }
        }
        return refused;
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static Optional<Instant> seconds(String text) {
        try {
            return Optional.of(Instant.ofEpochSecond(Long.parseLong(text)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static int parseInt(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
