package ponte.adapters.whatsapp.sandbox;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.sandbox.store.SandboxGroupStore;
import ponte.adapters.whatsapp.sandbox.store.VirtualPhone;

/**
 * The sandbox's groups (protocol.md §1.14, §1.21; whatsmeow group.go, Baileys groups.ts): the {@code w:g2} IQs
 * that create a group ({@code <iq to="@g.us" type=set><create subject key><participant jid/>…</create>}), read
 * its metadata ({@code <iq to=gid type=get><query request="interactive"/>}) and add, remove, promote or demote
 * participants ({@code <iq to=gid type=set><add|remove|promote|demote><participant jid/>…}); each change is told to
 * every member's devices as a {@code w:gp2} notification. Group messages ({@code <message to=gid>}) are carried
 * like WhatsApp's: a non-member's is refused, a member's goes to every device of every member but the sending one,
 * each copy with the sending device as {@code participant}, its LID as {@code participant_lid}, the {@code skmsg}
 * and, for the devices the sender addressed in {@code <participants>}, their own {@code pkmsg}/{@code msg} (which
 * carries the sender-key distribution message). A stanza naming one {@code participant} device (a retry answer)
 * goes to that device only.
 *
 * <p>A group is {@code addressing_mode="pn"} (participants named by their phone-number JIDs, with their LID in a
 * {@code lid} attribute; what a {@code w:g2} create makes) or {@code "lid"}, as WhatsApp's newer groups are
 * (participants named by LID, with their number in {@code phone_number}; message copies name the sending device
 * {@code participant=<lid device>} with {@code participant_pn}, and the sender addresses the devices of
 * {@code <participants>} by LID: a stanza naming one by number is refused with 479, as one naming a LID in a
 * {@code pn} group is). Groups are kept in the sandbox's database ({@link SandboxGroupStore}): a restarted sandbox
 * still has them.
 *
 * <p>Errors, as WhatsApp answers them (whatsmeow group.go maps them to ErrGroupNotFound and ErrNotInGroup): an
 * unknown group is {@code 404 item-not-found}; metadata or a change asked by a non-member {@code 403 forbidden},
 * a change asked by a member who is not an admin {@code 403 forbidden} too; a malformed request
 * {@code 400 bad-request}. A group message from a non-member is acked with {@code error="403"}, one to an unknown
 * group with {@code error="404"}.
 */
final class GroupRegistry {

    static final String GROUP_SERVER = "g.us";
    static final String NOT_A_MEMBER = "403";
    static final String NO_SUCH_GROUP = "404";
    static final String PN_ADDRESSED = "pn";
    static final String LID_ADDRESSED = "lid";

    /**
     * A group: its id (the user part of {@code id@g.us}), subject, creator and members by phone, in the order they
     * joined, with their roles ({@code superadmin}, {@code admin} or empty).
     */
    record Group(String id, String subject, String creator, long creation, String addressingMode,
                 Map<String, String> members) {

        Group {
            members = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(members)); // creator first
        }

        /** Whether participants are named by LID ({@code addressing_mode="lid"}). */
        boolean lidAddressed() {
            return addressingMode.equals(LID_ADDRESSED);
        }

        Group withMembers(Map<String, String> newMembers) {
            return new Group(id, subject, creator, creation, addressingMode, newMembers);
        }

        String jid() {
            return id + "@" + GROUP_SERVER;
        }

        boolean isMember(String phone) {
            return members.containsKey(phone);
        }

        boolean isAdmin(String phone) {
            return !members.getOrDefault(phone, "").isEmpty();
        }
    }

    private final VirtualPhones phones;
    private final MessageRouter router;
    private final Clock clock;
    private final SecureRandom random;
    private final SandboxGroupStore store;
    private final Map<String, Group> groups = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    GroupRegistry(VirtualPhones phones, MessageRouter router, SandboxGroupStore store, Clock clock,
            SecureRandom random) {
        this.phones = phones;
        this.router = router;
        this.store = store;
        this.clock = clock;
        this.random = random;
        store.groups().forEach(kept -> groups.put(kept.id(), new Group(kept.id(), kept.subject(), kept.creator(),
                kept.creation(), kept.addressingMode(), kept.members())));
    }

    /** Keeps the group as it is now, in memory and in the database. */
    private void put(Group group) {
        store.saveGroup(new SandboxGroupStore.StoredGroup(group.id(), group.subject(), group.creator(),
                group.creation(), group.addressingMode(), group.members()));
        groups.put(group.id(), group);
    }

    /** Handles a {@code w:g2} IQ from a logged-in device; false when the node is not one. */
    boolean receive(Jid self, Node iq, Consumer<Node> reply) {
        if (!iq.tag().equals("iq") || !iq.attributeOr("xmlns", "").equals("w:g2")) {
            return false;
        }
        String id = iq.attributeOr("id", "");
        Optional<VirtualPhone> me = phones.account(self);
        Optional<Node> action = iq.children().stream().findFirst();
        if (me.isEmpty() || action.isEmpty()) {
            reply.accept(Stanzas.error(id, 400, "bad-request"));
            return true;
        }
        String type = iq.attributeOr("type", "");
        String to = iq.attributeOr("to", "");
        String tag = action.get().tag();
        if (type.equals("set") && tag.equals("create")) {
            Optional<String> subject = action.get().attribute("subject").filter(s -> !s.isBlank());
            if (subject.isEmpty()) {
                reply.accept(Stanzas.error(id, 400, "bad-request"));
                return true;
            }
            Group group = create(me.get(), subject.get(), accounts(action.get()));
            reply.accept(Stanzas.result(id, List.of(info(group))));
            return true;
        }
        Optional<Group> group = Jid.parse(to).filter(jid -> jid.server().equals(GROUP_SERVER))
                .map(jid -> groups.get(jid.user()));
        if (group.isEmpty()) {
            reply.accept(Stanzas.error(id, 404, "item-not-found"));
            return true;
        }
        if (!group.get().isMember(me.get().phone())) {
            reply.accept(Stanzas.error(id, 403, "forbidden"));
            return true;
        }
        switch (type + "/" + tag) {
            case "get/query" -> reply.accept(Stanzas.result(id, List.of(info(group.get()))));
            case "set/add", "set/remove", "set/promote", "set/demote" -> {
                if (!group.get().isAdmin(me.get().phone())) {
                    reply.accept(Stanzas.error(id, 403, "forbidden"));
                    return true;
                }
                List<Node> outcome = change(me.get(), group.get(), tag, action.get());
                reply.accept(Stanzas.result(id, List.of(Node.withChildren(tag, Map.of(), outcome))));
            }
            default -> reply.accept(Stanzas.error(id, 400, "bad-request"));
        }
        return true;
    }

    /** A new {@code pn} group of {@code creator} (its superadmin) and {@code members}; every member is told. */
    Group create(VirtualPhone creator, String subject, List<VirtualPhone> members) {
        return create(creator, subject, members, PN_ADDRESSED);
    }

    /** As {@link #create(VirtualPhone, String, List)}, in {@code addressingMode} ({@code pn} or {@code lid}). */
    Group create(VirtualPhone creator, String subject, List<VirtualPhone> members, String addressingMode) {
        if (!addressingMode.equals(PN_ADDRESSED) && !addressingMode.equals(LID_ADDRESSED)) {
            throw new IllegalArgumentException("a group is addressed by pn or lid, not " + addressingMode);
        }
        Map<String, String> roles = new LinkedHashMap<>();
        roles.put(creator.phone(), "superadmin");
        members.forEach(member -> roles.putIfAbsent(member.phone(), ""));
        String id;
        do {
            id = "120363" + String.format("%012d", Math.floorMod(random.nextLong(), 1_000_000_000_000L));
        } while (groups.containsKey(id));
        Group group = new Group(id, subject, creator.phone(), clock.instant().getEpochSecond(), addressingMode, roles);
        put(group);
        notifyMembers(group, creator, List.of(Node.withChildren("create", Map.of(), List.of(info(group)))));
        return group;
    }

    List<Group> all() {
        return List.copyOf(groups.values());
    }

    Optional<Group> group(String jid) {
        return Jid.parse(jid).filter(parsed -> parsed.server().equals(GROUP_SERVER))
                .map(parsed -> groups.get(parsed.user()));
    }

    /**
     * Applies a participants change an admin asked for; returns one {@code <participant jid [error]>} per asked
     * JID (404 unknown number, 409 already a member on add, 404 not a member otherwise).
     */
    synchronized List<Node> change(VirtualPhone admin, Group group, String action, Node request) {
        Map<String, String> members = new LinkedHashMap<>(groups.get(group.id()).members());
        List<Node> outcome = new ArrayList<>();
        List<Node> changed = new ArrayList<>();
        List<VirtualPhone> removed = new ArrayList<>();
        for (Node participant : request.children()) {
            String asked = participant.attributeOr("jid", "");
            Optional<VirtualPhone> account = Jid.parse(asked).flatMap(phones::account);
            String error = account.isEmpty() ? "404"
                    : action.equals("add") ? (members.containsKey(account.get().phone()) ? "409" : null)
                    : members.containsKey(account.get().phone()) ? null : "404";
            if (error != null) {
                outcome.add(Node.of("participant", Node.attrs("jid", asked, "error", error)));
                continue;
            }
            String phone = account.get().phone();
            switch (action) {
                case "add" -> members.put(phone, "");
                case "remove" -> {
                    members.remove(phone);
                    removed.add(account.get());
                }
                case "promote" -> members.put(phone, "admin");
                default -> members.put(phone, members.get(phone).equals("superadmin") ? "superadmin" : "");
            }
            outcome.add(Node.of("participant", Node.attrs("jid", named(group, account.get(), -1))));
            changed.add(participant(group, account.get(), Optional.empty()));
        }
        Group updated = groups.get(group.id()).withMembers(members);
        put(updated);
        if (!changed.isEmpty()) {
            List<Node> body = List.of(Node.withChildren(action, Map.of(), changed));
            notifyMembers(updated, admin, body);
            // the removed hear of it too, as WhatsApp tells a removed participant
            removed.forEach(account -> notify(updated, admin, account, body));
        }
        return outcome;
    }

    /**
     * A group message from {@code self}: refused for a non-member or an unknown group, else one copy per device of
     * every member but the sender's. Empty when the stanza is malformed (the router acks it 479).
     */
    Optional<String> accept(Jid self, VirtualPhone sender, Jid to, Node message) {
        Group group = groups.get(to.user());
        if (group == null) {
            return Optional.of(NO_SUCH_GROUP);
        }
        if (!group.isMember(sender.phone())) {
            return Optional.of(NOT_A_MEMBER);
        }
        List<Node> direct = message.children().stream().filter(child -> child.tag().equals("enc")).toList();
        Optional<Node> skmsg = direct.stream().filter(enc -> enc.attributeOr("type", "").equals("skmsg")).findFirst();
        Map<String, List<Node>> addressed = new HashMap<>();
        // a resend for one member device (a retry answer: <message to=gid participant=device><enc/></message>)
        Optional<Jid> only = message.attribute("participant").flatMap(Jid::parse);
        String form = group.lidAddressed() ? Jid.LID_SERVER : Jid.USER_SERVER;
        if (only.isPresent() && !only.get().server().equals(form)) {
            return Optional.of(MessageRouter.INVALID_STANZA);
        }
        if (only.isPresent()) {
            Optional<VirtualPhone> owner = phones.account(only.get());
            if (owner.isEmpty() || !group.isMember(owner.get().phone()) || direct.isEmpty()) {
                return Optional.of(MessageRouter.INVALID_STANZA);
            }
            addressed.put(owner.get().phone() + ":" + only.get().device(), direct);
            skmsg = Optional.empty();
        }
        for (Node target : message.child("participants").map(Node::children).orElse(List.of())) {
            // one form per stanza: the group's
            Optional<Jid> device = target.attribute("jid").flatMap(Jid::parse)
                    .filter(jid -> jid.server().equals(form));
            Optional<VirtualPhone> owner = device.flatMap(phones::account);
            if (!target.tag().equals("to") || owner.isEmpty() || !group.isMember(owner.get().phone())
                    || target.children().isEmpty()) {
                return Optional.of(MessageRouter.INVALID_STANZA);
            }
            if (owner.get().phone().equals(sender.phone()) && device.get().device() == self.device()) {
                // a copy for the sending device itself goes nowhere: Baileys 7.0.0-rc14 adds one in LID groups
                // (its own-device filter compares its LID JID with a user) and WhatsApp takes those messages
                continue;
            }
            addressed.put(owner.get().phone() + ":" + device.get().device(), target.children());
        }
        if (skmsg.isEmpty() && addressed.isEmpty()) {
            return Optional.of(MessageRouter.INVALID_STANZA);
        }
        String id = message.attributeOr("id", "");
        String t = Long.toString(clock.instant().getEpochSecond());
        Optional<Node> deviceIdentity = message.child("device-identity");
        for (String phone : group.members().keySet()) {
            Optional<VirtualPhone> member = phones.phone(phone);
            if (member.isEmpty()) {
                continue;
            }
            for (int device : phones.deviceIds(member.get())) {
                if (phone.equals(sender.phone()) && device == self.device()) {
                    continue;
                }
                List<Node> content = new ArrayList<>(addressed.getOrDefault(phone + ":" + device, List.of()));
                boolean preKey = content.stream().anyMatch(enc -> enc.attributeOr("type", "").equals("pkmsg"));
                skmsg.ifPresent(content::add);
                if (content.isEmpty()) {
                    continue;
                }
                if (preKey) {
                    deviceIdentity.ifPresent(content::add);
                }
                String pn = Jid.device(sender.phone(), self.device(), Jid.USER_SERVER).toString();
                String lid = Jid.device(sender.lid(), self.device(), Jid.LID_SERVER).toString();
                var attrs = group.lidAddressed()
                        ? Node.attrs("from", group.jid(), "id", id, "t", t, "type", message.attributeOr("type", "text"),
                                "participant", lid, "participant_pn", pn)
                        : Node.attrs("from", group.jid(), "id", id, "t", t, "type", message.attributeOr("type", "text"),
                                "participant", pn, "participant_lid", lid);
                attrs.put("notify", Objects.toString(sender.pushName(), ""));
                attrs.put("addressing_mode", group.addressingMode());
                router.deliver(member.get(), device, "message|" + id + "|", Node.withChildren("message", attrs,
                        content));
            }
        }
        return Optional.empty();
    }

    /** The {@code <group>} node of a metadata answer or a create notification. */
    Node info(Group group) {
        List<Node> participants = new ArrayList<>();
        group.members().forEach((phone, role) -> phones.phone(phone)
                .ifPresent(account -> participants.add(participant(group, account, Optional.of(role)))));
        String creator = group.creator() + "@" + Jid.USER_SERVER;
        String creation = Long.toString(group.creation());
        return Node.withChildren("group", Node.attrs("id", group.id(), "subject", group.subject(),
                "s_t", creation, "s_o", creator, "creation", creation, "creator", creator,
                "addressing_mode", group.addressingMode(), "size", Integer.toString(participants.size())),
                participants);
    }

    /** A member as the group names it: {@code jid} in its addressing form, the other form beside it. */
    private Node participant(Group group, VirtualPhone account, Optional<String> role) {
        var attrs = group.lidAddressed()
                ? Node.attrs("jid", account.lid() + "@" + Jid.LID_SERVER, "phone_number", pn(account))
                : Node.attrs("jid", pn(account), "lid", account.lid() + "@" + Jid.LID_SERVER);
        role.filter(r -> !r.isEmpty()).ifPresent(r -> attrs.put("type", r));
        return Node.of("participant", attrs);
    }

    private List<VirtualPhone> accounts(Node request) {
        List<VirtualPhone> found = new ArrayList<>();
        for (Node participant : request.children()) {
            participant.attribute("jid").flatMap(Jid::parse).flatMap(phones::account).ifPresent(found::add);
        }
        return found;
    }

    private void notifyMembers(Group group, VirtualPhone author, List<Node> body) {
        group.members().keySet().forEach(phone -> phones.phone(phone)
                .ifPresent(member -> notify(group, author, member, body)));
    }

    private void notify(Group group, VirtualPhone author, VirtualPhone member, List<Node> body) {
        String id = "sbx-gp2-" + ids.incrementAndGet();
        router.notify(member, Node.withChildren("notification", Node.attrs("from", group.jid(), "type", "w:gp2",
                "id", id, "t", Long.toString(clock.instant().getEpochSecond()), "participant", named(group, author, -1),
                "notify", Objects.toString(author.pushName(), "")), body));
    }

    /** An account (device < 0) or one of its devices, in the group's addressing form. */
    static String named(Group group, VirtualPhone account, int device) {
        return group.lidAddressed() ? Jid.device(account.lid(), Math.max(device, 0), Jid.LID_SERVER).toString()
                : Jid.device(account.phone(), Math.max(device, 0), Jid.USER_SERVER).toString();
    }

    private static String pn(VirtualPhone account) {
        return account.phone() + "@" + Jid.USER_SERVER;
    }
}
