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
 * WhatsApp serves, each change told to every member's devices as a {@code w:gp2} notification whose
 * {@code participant} is the account that made it:
 * <ul>
 * <li>{@code to=@g.us}: {@code set <create subject key><participant jid/>…</create>} (answered with the
 * {@code <group>}; notified {@code <create><group/></create>}), {@code get <participating/>} (answered
 * {@code <groups><group/>…</groups>}), {@code set <leave><group id/></leave>} (notified {@code <remove>} of the
 * leaver, which Baileys reads as a leave), {@code set <invite code/>} (join by invite code, answered
 * {@code <group jid/>}; notified {@code <add reason="invite">}) and {@code get <invite code/>} (the group of a
 * code);</li>
 * <li>{@code to=gid}: {@code get <query request="interactive"/>} (metadata), {@code set <subject>} (notified
 * {@code <subject subject s_t s_o/>}), {@code set <description id [prev] [delete]>[<body/>]} (notified
 * {@code <description id><body/>|<delete/></description>}), {@code set <announcement/>|<not_announcement/>|
 * <locked/>|<unlocked/>} (notified the same), {@code set <add|remove|promote|demote><participant jid/>…} (answered
 * per participant with an optional {@code error}) and {@code get|set <invite/>} (the invite code, a new one on
 * {@code set}; answered {@code <invite code/>}).</li>
 * </ul>
 * Group messages ({@code <message to=gid>}) are carried like WhatsApp's: a non-member's is refused, and so is a
 * non-admin's in an announce-only group; a member's goes to every device of every member but the sending one, each
 * copy with the sending device as {@code participant}, its LID as {@code participant_lid}, the {@code skmsg} and,
 * for the devices the sender addressed in {@code <participants>}, their own {@code pkmsg}/{@code msg} (which carries
 * the sender-key distribution message). A stanza naming one {@code participant} device (a retry answer) goes to that
 * device only.
 *
 * <p>A group is {@code addressing_mode="pn"} (participants named by their phone-number JIDs, with their LID in a
 * {@code lid} attribute; what a {@code w:g2} create makes) or {@code "lid"}, as WhatsApp's newer groups are
 * (participants named by LID, with their number in {@code phone_number}; message copies name the sending device
 * {@code participant=<lid device>} with {@code participant_pn}, and the sender addresses the devices of
 * {@code <participants>} by LID: a stanza naming one by number is refused with 479, as one naming a LID in a
 * {@code pn} group is). Groups are kept in the sandbox's database ({@link SandboxGroupStore}): a restarted sandbox
 * still has them.
 *
 * <p>Refusals, as WhatsApp answers them (whatsmeow group.go maps them to ErrGroupNotFound, ErrNotInGroup,
 * ErrGroupInviteLinkUnauthorized, ErrInviteLinkInvalid): an unknown group is {@code 404 item-not-found}; anything
 * asked by a non-member {@code 403 forbidden}; participants and settings changed by a member who is not an admin
 * {@code 403 forbidden}, and so the subject and description of a locked group; the invite code asked by a non-admin
 * {@code 401 not-authorized}; an unknown invite code {@code 406 not-acceptable}; a subject that is blank or longer
 * than {@value #MAX_SUBJECT} characters {@code 406 not-acceptable}; a description change whose {@code prev} is not
 * the current description {@code 409 conflict}; a malformed request {@code 400 bad-request}. Per participant: 404
 * no such account (or, but for add, not a member), 409 already a member on add, 403 on add or create for a phone
 * whose privacy settings let nobody add it, 408 left the group by themselves
 * less than {@value #REJOIN_COOLDOWN_SECONDS} s ago (an assumption on WhatsApp's window). A group message from a
 * non-member is acked with {@code error="403"}, one to an unknown group with {@code error="404"}, one from a
 * non-admin of an announce-only group with {@code error="403"} too.
 */
final class GroupRegistry {

    static final String GROUP_SERVER = "g.us";
    static final String NOT_A_MEMBER = "403";
    static final String NO_SUCH_GROUP = "404";
    static final String PN_ADDRESSED = "pn";
    static final String LID_ADDRESSED = "lid";
    /** WhatsApp's subject limit since 2021, in characters (code points). */
    static final int MAX_SUBJECT = 100;
    /** How long one who left a group by themselves cannot be added back by an admin (408). */
    static final long REJOIN_COOLDOWN_SECONDS = 60;
    private static final String INVITE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /**
     * A group: its id (the user part of {@code id@g.us}), subject, creator and members by phone, in the order they
     * joined, with their roles ({@code superadmin}, {@code admin} or empty); its description (empty for none) and
     * that description's id, whether only admins send ({@code announce}) and edit its info ({@code locked}), and its
     * invite code (null until an admin asks for it).
     */
    record Group(String id, String subject, String creator, long creation, String addressingMode,
            Map<String, String> members, String description, String descriptionId, boolean announce, boolean locked,
            String inviteCode) {

        Group {
            members = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(members)); // creator first
        }

        Group(String id, String subject, String creator, long creation, String addressingMode,
                Map<String, String> members) {
            this(id, subject, creator, creation, addressingMode, members, "", "", false, false, null);
        }

        /** Whether participants are named by LID ({@code addressing_mode="lid"}). */
        boolean lidAddressed() {
            return addressingMode.equals(LID_ADDRESSED);
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

        Group withMembers(Map<String, String> changed) {
            return new Group(id, subject, creator, creation, addressingMode, changed, description, descriptionId, announce, locked,
                    inviteCode);
        }

        Group withSubject(String changed) {
            return new Group(id, changed, creator, creation, addressingMode, members, description, descriptionId, announce, locked,
                    inviteCode);
        }

        Group withDescription(String changed, String changedId) {
            return new Group(id, subject, creator, creation, addressingMode, members, changed, changedId, announce, locked,
                    inviteCode);
        }

        Group withSettings(boolean changedAnnounce, boolean changedLocked) {
            return new Group(id, subject, creator, creation, addressingMode, members, description, descriptionId, changedAnnounce,
                    changedLocked, inviteCode);
        }

        Group withInviteCode(String changed) {
            return new Group(id, subject, creator, creation, addressingMode, members, description, descriptionId, announce, locked,
                    changed);
        }
    }

    /** The server refuses: the IQ's error code and text. */
    static final class Refusal extends RuntimeException {
        private final int code;

        Refusal(int code, String text) {
            super(text, null, false, false);
            this.code = code;
        }

        int code() {
            return code;
        }
    }

    private final VirtualPhones phones;
    private final MessageRouter router;
    private final Clock clock;
    private final SecureRandom random;
    private final SandboxGroupStore store;
    private final Map<String, Group> groups = new ConcurrentHashMap<>();
    /** Per group id: who left by themselves, and when (epoch seconds). */
    private final Map<String, Map<String, Long>> leavers = new ConcurrentHashMap<>();
    /** Phones whose privacy settings let nobody add them to a group (an add is 403 for them). */
    private final java.util.Set<String> closedToAdds = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong();

    GroupRegistry(VirtualPhones phones, MessageRouter router, SandboxGroupStore store, Clock clock,
            SecureRandom random) {
        this.phones = phones;
        this.router = router;
        this.store = store;
        this.clock = clock;
        this.random = random;
        store.groups().forEach(kept -> groups.put(kept.id(), new Group(kept.id(), kept.subject(), kept.creator(),
                kept.creation(), kept.addressingMode(), kept.members(), kept.description(), kept.descriptionId(),
                kept.announce(), kept.locked(), kept.inviteCode())));
    }

    /** Keeps the group as it is now, in memory and in the database. */
    private void put(Group group) {
        store.saveGroup(new SandboxGroupStore.StoredGroup(group.id(), group.subject(), group.creator(),
                group.creation(), group.addressingMode(), group.members(), group.description(),
                group.descriptionId(), group.announce(), group.locked(), group.inviteCode()));
        groups.put(group.id(), group);
    }

    /** Handles a {@code w:g2} IQ from a logged-in device; false when the node is not one. */
    boolean receive(Jid self, Node iq, Consumer<Node> reply) {
        if (!iq.tag().equals("iq") || !iq.attributeOr("xmlns", "").equals("w:g2")) {
            return false;
        }
        String id = iq.attributeOr("id", "");
        try {
            reply.accept(Stanzas.result(id, answer(self, iq)));
        } catch (Refusal refusal) {
            reply.accept(Stanzas.error(id, refusal.code(), refusal.getMessage()));
        }
        return true;
    }

    private List<Node> answer(Jid self, Node iq) {
        Optional<VirtualPhone> me = phones.account(self);
        Optional<Node> request = iq.children().stream().findFirst();
        if (me.isEmpty() || request.isEmpty()) {
            throw new Refusal(400, "bad-request");
        }
        VirtualPhone actor = me.get();
        Node action = request.get();
        String type = iq.attributeOr("type", "");
        String to = iq.attributeOr("to", "");
        if (Jid.parse(to).filter(jid -> jid.server().equals(GROUP_SERVER) && jid.user().isEmpty()).isPresent()) {
            return switch (type + "/" + action.tag()) {
                case "set/create" -> List.of(created(actor, action));
                case "get/participating" -> List.of(Node.withChildren("groups", Map.of(), participating(actor)
                        .stream().map(this::info).toList()));
                case "set/leave" -> {
                    for (Node group : action.children()) {
                        leave(actor, existing(group.attributeOr("id", "")));
                    }
                    yield List.of();
                }
                case "set/invite" -> List.of(Node.of("group", Node.attrs("jid",
                        join(actor, action.attributeOr("code", "")).jid())));
                case "get/invite" -> List.of(info(byCode(action.attributeOr("code", ""))));
                default -> throw new Refusal(400, "bad-request");
            };
        }
        Group group = existing(to);
        member(group, actor);
        return switch (type + "/" + action.tag()) {
            case "get/query" -> List.of(info(group));
            case "set/subject" -> {
                subject(actor, group, action.text().orElse(""));
                yield List.of();
            }
            case "set/description" -> {
                description(actor, group, action.attributeOr("delete", "").equals("true") ? ""
                        : action.child("body").flatMap(Node::text).orElse(""), action.attribute("prev"),
                        action.attributeOr("id", ""));
                yield List.of();
            }
            case "set/announcement", "set/not_announcement", "set/locked", "set/unlocked" -> {
                setting(actor, group, action.tag());
                yield List.of();
            }
            case "set/add", "set/remove", "set/promote", "set/demote" -> List.of(Node.withChildren(action.tag(),
                    Map.of(), change(actor, group, action.tag(), action)));
            case "get/invite", "set/invite" -> List.of(Node.of("invite", Node.attrs("code",
                    inviteCode(actor, group, type.equals("set")))));
            default -> throw new Refusal(400, "bad-request");
        };
    }

    /**
     * A {@code w:g2} create: the new group's {@code <group>}, followed, as WhatsApp answers, by one
     * {@code <participant jid error/>} per asked participant who was not added: 403 for a phone whose privacy
     * settings let nobody add it (it may still join by an invite link), 404 for no such account.
     */
    private Node created(VirtualPhone creator, Node request) {
        List<Node> refused = new ArrayList<>();
        for (Node participant : request.children()) {
            String wanted = participant.attributeOr("jid", "");
            Optional<VirtualPhone> account = Jid.parse(wanted).flatMap(phones::account);
            if (account.isEmpty()) {
                refused.add(Node.of("participant", Node.attrs("jid", wanted, "error", "404")));
            } else if (closedToAdds.contains(account.get().phone()) && !account.get().phone().equals(creator.phone())) {
                refused.add(Node.of("participant", Node.attrs("jid", wanted, "error", "403")));
            }
        }
        Node group = info(create(creator, request.attributeOr("subject", ""), accounts(request)));
        List<Node> children = new ArrayList<>(group.children());
        children.addAll(refused);
        return Node.withChildren("group", group.attributes(), children);
    }

    /**
     * A new {@code pn} group of {@code creator} (its superadmin) and {@code members}, but for those whose privacy
     * settings let nobody add them; every member's devices are told. Refused (406) for a blank subject or one over
     * {@value #MAX_SUBJECT} characters.
     */
    Group create(VirtualPhone creator, String subject, List<VirtualPhone> members) {
        return create(creator, subject, members, PN_ADDRESSED);
    }

    /** As {@link #create(VirtualPhone, String, List)}, in {@code addressingMode} ({@code pn} or {@code lid}). */
    Group create(VirtualPhone creator, String subject, List<VirtualPhone> members, String addressingMode) {
        if (!addressingMode.equals(PN_ADDRESSED) && !addressingMode.equals(LID_ADDRESSED)) {
            throw new IllegalArgumentException("a group is addressed by pn or lid, not " + addressingMode);
        }
        String name = checkedSubject(subject);
        Map<String, String> roles = new LinkedHashMap<>();
        roles.put(creator.phone(), "superadmin");
        members.stream().filter(member -> !closedToAdds.contains(member.phone()))
                .forEach(member -> roles.putIfAbsent(member.phone(), ""));
        String id;
        do {
            id = "120363" + String.format("%012d", Math.floorMod(random.nextLong(), 1_000_000_000_000L));
        } while (groups.containsKey(id));
        Group group = new Group(id, name, creator.phone(), clock.instant().getEpochSecond(), addressingMode, roles);
        put(group);
        notifyMembers(group, Optional.of(creator), List.of(Node.withChildren("create", Map.of(),
                List.of(info(group)))));
        return group;
    }

    List<Group> all() {
        return List.copyOf(groups.values());
    }

    Optional<Group> group(String jid) {
        return Jid.parse(jid).filter(parsed -> parsed.server().equals(GROUP_SERVER))
                .map(parsed -> groups.get(parsed.user()));
    }

    /** The group of this JID (with or without {@code @g.us}), or a 404 refusal. */
    Group existing(String jid) {
        String text = jid.contains("@") ? jid : jid + "@" + GROUP_SERVER;
        return group(text).orElseThrow(() -> new Refusal(404, "item-not-found"));
    }

    /** The groups {@code actor} is a member of. */
    List<Group> participating(VirtualPhone actor) {
        return groups.values().stream().filter(group -> group.isMember(actor.phone())).toList();
    }

    /** A member renames the group (an admin, when it is locked); every member hears it. */
    synchronized void subject(VirtualPhone actor, Group asked, String subject) {
        Group group = editable(actor, asked);
        String name = checkedSubject(subject);
        Group renamed = group.withSubject(name);
        put(renamed);
        notifyMembers(renamed, Optional.of(actor), List.of(Node.of("subject", Node.attrs("subject", name,
                "s_t", Long.toString(clock.instant().getEpochSecond()), "s_o", pn(actor)))));
    }

    /**
     * A member sets the description (an admin, when locked), or deletes it ({@code text} empty); {@code prev}, when
     * given, must name the current description (409 otherwise). Every member hears it.
     */
    synchronized void description(VirtualPhone actor, Group asked, String text, Optional<String> prev, String id) {
        Group group = editable(actor, asked);
        if (prev.isPresent() && !prev.get().equals(group.descriptionId())) {
            throw new Refusal(409, "conflict");
        }
        String descriptionId = id.isBlank() ? randomCode(12) : id;
        Group changed = group.withDescription(text, text.isEmpty() ? "" : descriptionId);
        put(changed);
        Node body = text.isEmpty() ? Node.of("delete")
                : Node.withBytes("body", Map.of(), text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        notifyMembers(changed, Optional.of(actor), List.of(Node.withChildren("description",
                Node.attrs("id", descriptionId), List.of(body))));
    }

    /**
     * An admin sets who sends ({@code announcement}/{@code not_announcement}) or who edits the group's info
     * ({@code locked}/{@code unlocked}); every member hears it.
     */
    synchronized void setting(VirtualPhone actor, Group asked, String setting) {
        Group group = current(asked);
        member(group, actor);
        if (!group.isAdmin(actor.phone())) {
            throw new Refusal(403, "forbidden");
        }
        Group changed = switch (setting) {
            case "announcement" -> group.withSettings(true, group.locked());
            case "not_announcement" -> group.withSettings(false, group.locked());
            case "locked" -> group.withSettings(group.announce(), true);
            case "unlocked" -> group.withSettings(group.announce(), false);
            default -> throw new Refusal(400, "bad-request");
        };
        put(changed);
        notifyMembers(changed, Optional.of(actor), List.of(Node.of(setting,
                Node.attrs("v_id", Long.toString(ids.incrementAndGet())))));
    }

    /**
     * The phone's privacy setting "who can add me to groups": everyone ({@code true}) or nobody, when an admin's add
     * is answered 403 for it (it may still join by an invite link).
     */
    void groupAdds(VirtualPhone phone, boolean everyone) {
        if (everyone) {
            closedToAdds.remove(phone.phone());
        } else {
            closedToAdds.add(phone.phone());
        }
    }

    /**
     * The group's invite code, made on first use, or a new one ({@code reset}, told to every member): admins only
     * (401 otherwise, as WhatsApp answers a member's request for the link).
     */
    synchronized String inviteCode(VirtualPhone actor, Group asked, boolean reset) {
        Group group = current(asked);
        member(group, actor);
        if (!group.isAdmin(actor.phone())) {
            throw new Refusal(401, "not-authorized");
        }
        if (group.inviteCode() != null && !reset) {
            return group.inviteCode();
        }
        String code = randomCode(22);
        Group changed = group.withInviteCode(code);
        put(changed);
        if (reset) {
            notifyMembers(changed, Optional.of(actor), List.of(Node.of("invite", Node.attrs("code", code))));
        }
        return code;
    }

    /** The group whose invite code this is; 406 for none (an unknown or revoked code). */
    Group byCode(String code) {
        return groups.values().stream().filter(group -> code != null && !code.isEmpty()
                && code.equals(group.inviteCode())).findFirst()
                .orElseThrow(() -> new Refusal(406, "not-acceptable"));
    }

    /**
     * {@code actor} joins the group of an invite code: every member, the joiner included, hears an
     * {@code <add reason="invite">} of the joiner. A member joining again changes nothing.
     */
    synchronized Group join(VirtualPhone actor, String code) {
        Group group = byCode(code);
        if (group.isMember(actor.phone())) {
            return group;
        }
        Map<String, String> members = new LinkedHashMap<>(group.members());
        members.put(actor.phone(), "");
        Group joined = group.withMembers(members);
        put(joined);
        notifyMembers(joined, Optional.of(actor), List.of(Node.withChildren("add", Node.attrs("reason", "invite"),
                List.of(participant(group, actor, Optional.empty())))));
        return joined;
    }

    /**
     * {@code actor} leaves: the members and the leaver hear a {@code <remove>} of the leaver by the leaver; the
     * remaining phones replace their sender key there. When no admin is left the longest member becomes one (told as
     * a {@code <promote>}), and a group without members is gone.
     */
    synchronized void leave(VirtualPhone actor, Group asked) {
        Group group = current(asked);
        member(group, actor);
        Map<String, String> members = new LinkedHashMap<>(group.members());
        members.remove(actor.phone());
        leavers.computeIfAbsent(group.id(), k -> new ConcurrentHashMap<>())
                .put(actor.phone(), clock.instant().getEpochSecond());
        Optional<String> heir = members.values().stream().allMatch(String::isEmpty)
                ? members.keySet().stream().findFirst() : Optional.empty();
        heir.ifPresent(phone -> members.put(phone, "admin"));
        Group left = group.withMembers(members);
        List<Node> body = List.of(Node.withChildren("remove", Map.of(), List.of(participant(group, actor, Optional.empty()))));
        if (members.isEmpty()) {
            store.deleteGroup(group.id());
            groups.remove(group.id());
        } else {
            put(left);
            notifyMembers(left, Optional.of(actor), body);
        }
        notify(left, Optional.of(actor), actor, body);
        heir.flatMap(phones::phone).ifPresent(promoted -> notifyMembers(left, Optional.empty(),
                List.of(Node.withChildren("promote", Map.of(), List.of(participant(left, promoted, Optional.empty()))))));
        rotateRemaining(left);
    }

    /**
     * Applies a participants change an admin asked for; returns one {@code <participant jid [error]>} per asked
     * JID (404 unknown number, 409 already a member on add, 403 on add for a phone that lets nobody add it, 408
     * left by themselves moments ago, 404 not a member otherwise). Refused (403) when {@code admin} is not one.
     */
    synchronized List<Node> change(VirtualPhone admin, Group asked, String action, Node request) {
        Group group = current(asked);
        member(group, admin);
        if (!group.isAdmin(admin.phone())) {
            throw new Refusal(403, "forbidden");
        }
        Map<String, String> members = new LinkedHashMap<>(group.members());
        Map<String, Long> left = leavers.getOrDefault(group.id(), Map.of());
        long now = clock.instant().getEpochSecond();
        List<Node> outcome = new ArrayList<>();
        List<Node> changed = new ArrayList<>();
        List<VirtualPhone> removed = new ArrayList<>();
        for (Node participant : request.children()) {
            String wanted = participant.attributeOr("jid", "");
            Optional<VirtualPhone> account = Jid.parse(wanted).flatMap(phones::account);
            String error = account.isEmpty() ? "404"
                    : action.equals("add") ? (members.containsKey(account.get().phone()) ? "409"
                            : closedToAdds.contains(account.get().phone()) ? "403"
                            : now - left.getOrDefault(account.get().phone(), Long.MIN_VALUE / 2)
                                    < REJOIN_COOLDOWN_SECONDS ? "408" : null)
                    : members.containsKey(account.get().phone()) ? null : "404";
            if (error != null) {
                outcome.add(Node.of("participant", Node.attrs("jid", wanted, "error", error)));
                continue;
            }
            String phone = account.get().phone();
            switch (action) {
                case "add" -> members.put(phone, "");
                case "remove" -> {
                    members.remove(phone);
                    removed.add(account.get());
                }
                case "promote" -> members.put(phone, members.get(phone).equals("superadmin") ? "superadmin" : "admin");
                default -> members.put(phone, members.get(phone).equals("superadmin") ? "superadmin" : "");
            }
            outcome.add(participant(group, account.get(), Optional.empty()));
            changed.add(participant(group, account.get(), Optional.empty()));
        }
        Group updated = group.withMembers(members);
        put(updated);
        if (!changed.isEmpty()) {
            List<Node> body = List.of(Node.withChildren(action, Map.of(), changed));
            notifyMembers(updated, Optional.of(admin), body);
            // the removed hear of it too, as WhatsApp tells a removed participant
            removed.forEach(account -> notify(updated, Optional.of(admin), account, body));
            if (!removed.isEmpty()) {
                rotateRemaining(updated);
            }
        }
        return outcome;
    }

    /**
     * A group message from {@code self}: refused for a non-member, a non-admin of an announce-only group or an unknown group, else one copy per device of
     * every member but the sender's. Empty when the stanza is malformed (the router acks it 479).
     */
    Optional<String> accept(Jid self, VirtualPhone sender, Jid to, Node message) {
        Group group = groups.get(to.user());
        if (group == null) {
            return Optional.of(NO_SUCH_GROUP);
        }
        if (!group.isMember(sender.phone()) || group.announce() && !group.isAdmin(sender.phone())) {
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
        List<Node> children = new ArrayList<>();
        group.members().forEach((phone, role) -> phones.phone(phone)
                .ifPresent(account -> children.add(participant(group, account, Optional.of(role)))));
        int size = children.size();
        if (!group.description().isEmpty()) {
            children.add(Node.withChildren("description", Node.attrs("id", group.descriptionId()),
                    List.of(Node.withBytes("body", Map.of(),
                            group.description().getBytes(java.nio.charset.StandardCharsets.UTF_8)))));
        }
        if (group.announce()) {
            children.add(Node.of("announcement"));
        }
        if (group.locked()) {
            children.add(Node.of("locked"));
        }
        String creator = group.creator() + "@" + Jid.USER_SERVER;
        String creation = Long.toString(group.creation());
        return Node.withChildren("group", Node.attrs("id", group.id(), "subject", group.subject(),
                "s_t", creation, "s_o", creator, "creation", creation, "creator", creator,
                "addressing_mode", group.addressingMode(), "size", Integer.toString(size)), children);
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

    /** The group as it is now (a caller may hold an older copy); 404 once it is gone. */
    private Group current(Group group) {
        Group now = groups.get(group.id());
        if (now == null) {
            throw new Refusal(404, "item-not-found");
        }
        return now;
    }

    private static void member(Group group, VirtualPhone actor) {
        if (!group.isMember(actor.phone())) {
            throw new Refusal(403, "forbidden");
        }
    }

    /** The group, when {@code actor} may edit its subject and description: a member, and an admin when locked. */
    private Group editable(VirtualPhone actor, Group asked) {
        Group group = current(asked);
        member(group, actor);
        if (group.locked() && !group.isAdmin(actor.phone())) {
            throw new Refusal(403, "forbidden");
        }
        return group;
    }

    private static String checkedSubject(String subject) {
        String name = subject == null ? "" : subject.strip();
        if (name.isEmpty() || name.codePointCount(0, name.length()) > MAX_SUBJECT) {
            throw new Refusal(406, "not-acceptable");
        }
        return name;
    }

    /** After someone left: every remaining phone replaces its sender key, so the one who left cannot read on. */
    private void rotateRemaining(Group group) {
        group.members().keySet().forEach(phone -> phones.phone(phone)
                .ifPresent(account -> phones.primary(account).rotateSenderKey(group.jid())));
    }

    private String randomCode(int length) {
        StringBuilder code = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            code.append(INVITE_ALPHABET.charAt(random.nextInt(INVITE_ALPHABET.length())));
        }
        return code.toString();
    }

    private void notifyMembers(Group group, Optional<VirtualPhone> author, List<Node> body) {
        group.members().keySet().forEach(phone -> phones.phone(phone)
                .ifPresent(member -> notify(group, author, member, body)));
    }

    private void notify(Group group, Optional<VirtualPhone> author, VirtualPhone member, List<Node> body) {
        // unique across sandbox restarts, as WhatsApp's ids are: a device remembers the ids it handled
        String id = "sbx-gp2-" + Long.toUnsignedString(random.nextLong(), 36) + "-" + ids.incrementAndGet();
        var attrs = Node.attrs("from", group.jid(), "type", "w:gp2", "id", id,
                "t", Long.toString(clock.instant().getEpochSecond()));
        author.ifPresent(by -> {
            attrs.put("participant", named(group, by, -1));
            attrs.put("notify", Objects.toString(by.pushName(), ""));
        });
        router.notify(member, Node.withChildren("notification", attrs, body));
    }

    /** An account (device < 0) or one of its devices, in the group's addressing form. */
    static String named(Group group, VirtualPhone account, int device) {
        return named(group.lidAddressed(), account, device);
    }

    /** As {@link #named(Group, VirtualPhone, int)}, for a chat named by LID or not. */
    static String named(boolean lidAddressed, VirtualPhone account, int device) {
        return lidAddressed ? Jid.device(account.lid(), Math.max(device, 0), Jid.LID_SERVER).toString()
                : Jid.device(account.phone(), Math.max(device, 0), Jid.USER_SERVER).toString();
    }

    private static String pn(VirtualPhone account) {
        return account.phone() + "@" + Jid.USER_SERVER;
    }
}
