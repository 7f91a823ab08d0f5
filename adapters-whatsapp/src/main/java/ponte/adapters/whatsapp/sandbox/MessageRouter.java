package ponte.adapters.whatsapp.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.binary.NodeDecoder;
import ponte.adapters.whatsapp.binary.NodeEncoder;
import ponte.adapters.whatsapp.sandbox.store.SandboxGroupStore;
import ponte.adapters.whatsapp.sandbox.store.SandboxMessageStore;
import ponte.adapters.whatsapp.sandbox.store.VirtualPhone;

/**
 * The sandbox as a network (protocol.md §1.13–1.15): it carries {@code message} stanzas from the sending device to
 * every device addressed in {@code <participants>} (or to the one device a direct {@code <enc>} names), relays
 * {@code receipt}s to the devices of the user they are for, and answers usync device-list and contact queries.
 *
 * <p>Delivery is at least once, as WhatsApp's: every stanza a device is sent stays queued for it until that device
 * acknowledges it (a receipt or an {@code <ack>} with its id), and whatever is still queued when the device logs in
 * again is sent once more, marked {@code offline}, followed by {@code <ib><offline count/></ib>}. The queue is in
 * the sandbox's database, so a restarted sandbox still delivers what it had accepted.
 *
 * <p>It is strict: a message stanza without id, type or a routable {@code to}, with an {@code <enc>} addressed to
 * a device of neither the recipient nor the sender's own account, or with a device named in the other addressing
 * form than the chat's (a {@code @lid} chat names every device, the sender's own included, by LID; a phone-number
 * chat by number), is refused with {@code <ack error="479">}
 * (SMAX_INVALID, whatsmeow client.go, Baileys SERVER_ERROR_CODES); group messages ({@code to=…@g.us}) are {@link GroupRegistry}'s.
 */
final class MessageRouter {

    /** WhatsApp's code for a stanza its validation refuses (smax-invalid). */
    static final String INVALID_STANZA = "479";
    /** WhatsApp's code for a 1:1 message without the privacy token the recipient requires (Baileys). */
    static final String MISSING_TOKEN = "463";

    private final VirtualPhones phones;
    private final Clock clock;
    private final Map<String, SandboxEndpoint> online;
    private final Executor phoneThread;
    private final PrivacyTokens tokens;
    private final GroupRegistry groups;
    /** Per device: what it was sent and has not acknowledged, in order, by stanza key. */
    private final SandboxMessageStore queue;
    /** Per account (phone number): the accounts it exchanged messages with, who hear of its device changes. */
    private final Map<String, Set<String>> peers = new HashMap<>();
    private final AtomicLong ids = new AtomicLong();
    /** The calls placed on the network, by call id: who called whom (phone numbers). In memory. */
    private final Map<String, CallParties> calls = new java.util.concurrent.ConcurrentHashMap<>();
    /** Per account (phone number): its last announced presence. In memory. */
    private final Map<String, Announced> presences = new java.util.concurrent.ConcurrentHashMap<>();
    /** Per account (phone number): the companion devices subscribed to its presence. */
    private final Map<String, Set<Jid>> subscribers = new java.util.concurrent.ConcurrentHashMap<>();

    MessageRouter(VirtualPhones phones, SandboxMessageStore queue, SandboxGroupStore groupStore, Clock clock,
            SecureRandom random, Map<String, SandboxEndpoint> online, Executor phoneThread) {
        this.phones = phones;
        this.queue = queue;
        this.clock = clock;
        this.online = online;
        this.phoneThread = phoneThread;
        this.tokens = new PrivacyTokens(phones, this, clock, random);
        this.groups = new GroupRegistry(phones, this, groupStore, clock, random);
    }

    /** Handles a logged-in device's messaging stanzas; false when the node is someone else's business. */
    boolean receive(SandboxEndpoint endpoint, Jid self, Node node) {
        switch (node.tag()) {
            case "message" -> {
                accept(self, node, endpoint::send);
                return true;
            }
            case "receipt" -> {
                receipt(self, node, endpoint::send);
                return true;
            }
            case "ack" -> {
                acked(self, node);
                return true;
            }
            case "call" -> {
                relayCall(self, node, endpoint::send);
                return true;
            }
            case "presence" -> {
                presence(self, node, endpoint::send);
                return true;
            }
            case "chatstate" -> {
                phones.account(self).ifPresent(account -> chatState(account, node));
                return true;
            }
            case "iq" -> {
                if (node.attributeOr("xmlns", "").equals("usync") && node.attributeOr("type", "").equals("get")) {
                    usync(node, endpoint::send);
                    return true;
                }
                return groups.receive(self, node, endpoint::send) || tokens.receive(self, node, endpoint::send);
            }
            default -> {
                return false;
            }
        }
    }

    /** A device logged in: what is still queued for it goes out again, then the end-of-backlog marker. */
    void loggedIn(Jid self, SandboxEndpoint endpoint) {
        synchronized (this) {
            List<Node> backlog = queue.queued(self.user(), self.device()).stream().map(NodeDecoder::unmarshal)
                    .toList();
            for (Node stanza : backlog) {
                var attrs = new LinkedHashMap<>(stanza.attributes());
                attrs.put("offline", "1");
                endpoint.send(stanza.hasContent() ? Node.withChildren(stanza.tag(), attrs, stanza.children())
                        : Node.of(stanza.tag(), attrs));
            }
            endpoint.send(Node.withChildren("ib", Node.attrs("from", Stanzas.SERVER), List.of(
                    Node.of("offline", Node.attrs("count", Integer.toString(backlog.size()))))));
        }
    }

    /** A virtual phone's own message, routed as if its primary device had sent it on a connection. */
    void submit(Jid self, Node message) {
        accept(self, message, ack -> {
            if (ack.attribute("error").isPresent()) {
                throw new IllegalStateException("the sandbox refused the phone's message: " + ack.attributes());
            }
        });
    }

    private void accept(Jid self, Node message, Consumer<Node> reply) {
        String id = message.attributeOr("id", "");
        String toText = message.attributeOr("to", "");
        if (toText.endsWith("@" + GroupRegistry.GROUP_SERVER)) {
            acceptForGroup(self, message, reply);
            return;
        }
        if (toText.equals(PhoneGroups.STATUS_BROADCAST)) {
            acceptStatus(self, message, reply);
            return;
        }
        Optional<Jid> to = Jid.parse(toText).filter(jid -> jid.server().equals(Jid.USER_SERVER)
                || jid.server().equals(Jid.LID_SERVER));
        Optional<VirtualPhone> sender = phones.account(self);
        Optional<VirtualPhone> recipient = to.flatMap(phones::account);
        List<Delivery> deliveries = id.isEmpty() || message.attribute("type").isEmpty() || sender.isEmpty()
                || recipient.isEmpty() ? List.of() : deliveries(self, sender.get(), to.get(), recipient.get(), message);
        if (deliveries.isEmpty()) {
            reply.accept(Node.of("ack", Node.attrs("class", "message", "id", id, "from", toText,
                    "t", now(), "error", INVALID_STANZA)));
            return;
        }
        if (self.device() != 0 && tokens.refuses(sender.get(), recipient.get(), message)) {
            reply.accept(Node.of("ack", Node.attrs("class", "message", "id", id, "from", toText,
                    "t", now(), "error", MISSING_TOKEN)));
            return;
        }
        boolean lid = to.get().server().equals(Jid.LID_SERVER);
        synchronized (this) {
            peers.computeIfAbsent(sender.get().phone(), k -> new HashSet<>()).add(recipient.get().phone());
            peers.computeIfAbsent(recipient.get().phone(), k -> new HashSet<>()).add(sender.get().phone());
        }
        String from = address(sender.get(), self.device(), lid).toString();
        String alternative = address(sender.get(), self.device(), !lid).toString();
        String t = now();
        Optional<Node> deviceIdentity = message.child("device-identity");
        for (Delivery delivery : deliveries) {
            var attrs = Node.attrs("from", from, "id", id, "t", t, "type", message.attributeOr("type", "text"));
            if (delivery.account().phone().equals(sender.get().phone())
                    && !recipient.get().phone().equals(sender.get().phone())) {
                attrs.put("recipient", address(recipient.get(), 0, lid).toString());
            }
            attrs.put("notify", sender.get().pushName());
            attrs.put(lid ? "sender_pn" : "sender_lid", alternative);
            message.attribute("category").ifPresent(category -> attrs.put("category", category));
            List<Node> content = new ArrayList<>(delivery.encs());
            deviceIdentity.ifPresent(content::add);
            deliver(delivery.account(), delivery.device(), "message|" + id + "|",
                    Node.withChildren("message", attrs, content));
        }
        reply.accept(Node.of("ack", Node.attrs("class", "message", "id", id, "from", toText, "t", t)));
    }

    /** A group message: {@link GroupRegistry} carries it or says why not (an error code for the ack). */
    private void acceptForGroup(Jid self, Node message, Consumer<Node> reply) {
        String id = message.attributeOr("id", "");
        String toText = message.attributeOr("to", "");
        Optional<Jid> to = Jid.parse(toText);
        Optional<VirtualPhone> sender = phones.account(self);
        Optional<String> error = id.isEmpty() || message.attribute("type").isEmpty() || sender.isEmpty()
                || to.isEmpty() ? Optional.of(INVALID_STANZA) : groups.accept(self, sender.get(), to.get(), message);
        var ack = Node.attrs("class", "message", "id", id, "from", toText, "t", now());
        error.ifPresent(code -> ack.put("error", code));
        reply.accept(Node.of("ack", ack));
    }

    /**
     * A status update ({@code to=status@broadcast}): the audience is the devices its {@code <participants>} name,
     * each given its {@code <to>}'s encs and the {@code skmsg}, from {@code status@broadcast} with the author as
     * participant (whatsmeow message.go); refused (479) without participants or a skmsg.
     */
    private void acceptStatus(Jid self, Node message, Consumer<Node> reply) {
        String id = message.attributeOr("id", "");
        Optional<VirtualPhone> sender = phones.account(self);
        Optional<Node> skmsg = message.children().stream().filter(child -> child.tag().equals("enc")
                && child.attributeOr("type", "").equals("skmsg")).findFirst();
        List<Node> targets = message.child("participants").map(Node::children).orElse(List.of());
        var ack = Node.attrs("class", "message", "id", id, "from", PhoneGroups.STATUS_BROADCAST, "t", now());
        if (id.isEmpty() || sender.isEmpty() || skmsg.isEmpty() || targets.isEmpty()) {
            ack.put("error", INVALID_STANZA);
            reply.accept(Node.of("ack", ack));
            return;
        }
        String t = now();
        for (Node target : targets) {
            Optional<Jid> device = target.attribute("jid").flatMap(Jid::parse);
            Optional<VirtualPhone> owner = device.flatMap(phones::account);
            if (owner.isEmpty() || !phones.deviceIds(owner.get()).contains(device.get().device())) {
                continue;
            }
            List<Node> content = new ArrayList<>(target.children());
            content.add(skmsg.get());
            var attrs = Node.attrs("from", PhoneGroups.STATUS_BROADCAST, "id", id, "t", t,
                    "type", message.attributeOr("type", "text"),
                    "participant", Jid.device(sender.get().phone(), self.device(), Jid.USER_SERVER).toString(),
                    "notify", sender.get().pushName());
            deliver(owner.get(), device.get().device(), "message|" + id + "|",
                    Node.withChildren("message", attrs, content));
        }
        reply.accept(Node.of("ack", ack));
    }

    /** The sandbox's groups, for the phones' own group operations. */
    GroupRegistry groups() {
        return groups;
    }

    /** One copy per addressed device; empty when the stanza is malformed or addresses a stranger's device. */
    private List<Delivery> deliveries(Jid self, VirtualPhone sender, Jid to, VirtualPhone recipient, Node message) {
        List<Delivery> deliveries = new ArrayList<>();
        Optional<Node> participants = message.child("participants");
        List<Node> direct = message.children().stream().filter(child -> child.tag().equals("enc")).toList();
        if (participants.isPresent() == !direct.isEmpty()) {
            return List.of();
        }
        if (participants.isEmpty()) {
            boolean itself = recipient.phone().equals(sender.phone()) && to.device() == self.device();
            return itself || !phones.deviceIds(recipient).contains(to.device()) ? List.of()
                    : List.of(new Delivery(recipient, to.device(), direct));
        }
        for (Node target : participants.get().children()) {
            List<Node> encs = target.children();
            Optional<Jid> device = target.attribute("jid").flatMap(Jid::parse)
                    .filter(jid -> jid.server().equals(to.server()));
            Optional<VirtualPhone> owner = device.flatMap(phones::account);
            if (!target.tag().equals("to") || encs.isEmpty() || !encs.stream().allMatch(enc -> enc.tag().equals("enc")
                    && enc.bytes().isPresent()) || owner.isEmpty()) {
                return List.of();
            }
            boolean ownAccount = owner.get().phone().equals(sender.phone());
            if (!ownAccount && !owner.get().phone().equals(recipient.phone())
                    || ownAccount && device.get().device() == self.device()) {
                return List.of();
            }
            // a device the sender's list still had but the account no longer has is skipped, as the server does
            if (phones.deviceIds(owner.get()).contains(device.get().device())) {
                deliveries.add(new Delivery(owner.get(), device.get().device(), encs));
            }
        }
        return deliveries;
    }

    /**
     * A receipt from {@code self}: it acknowledges the messages it names for that device, goes on to every device
     * of the user it is for (the sender's own devices for {@code sender}/{@code read-self}/{@code peer_msg}
     * receipts), and is acked to its sender.
     */
    void receipt(Jid self, Node receipt, Consumer<Node> reply) {
        String id = receipt.attributeOr("id", "");
        String toText = receipt.attributeOr("to", "");
        String type = receipt.attributeOr("type", "");
        Optional<Jid> to = Jid.parse(toText);
        Optional<VirtualPhone> me = phones.account(self);
        if (id.isEmpty() || to.isEmpty() || me.isEmpty()) {
            reply.accept(Node.of("ack", Node.attrs("class", "receipt", "id", id, "from", toText,
                    "error", INVALID_STANZA)));
            return;
        }
        if (type.equals("server-error")) {
            mediaRetry(self, me.get(), to.get(), receipt);
            reply.accept(Node.of("ack", Node.attrs("class", "receipt", "id", id, "from", toText,
                    "type", type)));
            return;
        }
        List<String> ids = new ArrayList<>(List.of(id));
        receipt.child("list").ifPresent(list -> list.children().forEach(item -> ids.add(item.attributeOr("id", ""))));
        if (!type.equals("retry")) {
            synchronized (this) {
                ids.forEach(each -> queue.acknowledge(self.user(), self.device(), "message|" + each + "|"));
            }
        }
        boolean toSelf = type.equals("sender") || type.equals("read-self") || type.equals("peer_msg")
                || type.equals("hist_sync");
        // a receipt for a group message goes to its author, the participant it names
        boolean group = to.get().server().equals(GroupRegistry.GROUP_SERVER)
                || toText.equals(PhoneGroups.STATUS_BROADCAST);
        Optional<Jid> author = group ? receipt.attribute("participant").flatMap(Jid::parse) : Optional.empty();
        Optional<VirtualPhone> target = toSelf ? me : group ? author.flatMap(phones::account)
                : phones.account(to.get());
        if (target.isPresent()) {
            boolean lid = to.get().server().equals(Jid.LID_SERVER);
            var attrs = Node.attrs("from", group && !toSelf ? to.get().toString()
                    : address(me.get(), self.device(), lid).toString(), "id", id, "t", now());
            if (group && !toSelf) {
                // the receipting device, named as its group names members
                attrs.put("participant", groups.group(to.get().toString())
                        .map(named -> GroupRegistry.named(named, me.get(), self.device()))
                        .orElse(address(me.get(), self.device(), false).toString()));
            }
            if (!type.isEmpty()) {
                attrs.put("type", type);
            }
            if (toSelf && !to.get().user().equals(me.get().phone()) && !to.get().user().equals(me.get().lid())) {
                attrs.put("recipient", Jid.device(to.get().user(), 0, to.get().server()).toString());
            }
            Node forwarded = receipt.children().isEmpty() ? Node.of("receipt", attrs)
                    : Node.withChildren("receipt", attrs, receipt.children());
            // a receipt addressed to one device (a retry, say) goes to that device only
            List<Integer> devices = !toSelf && to.get().hasDevice() && to.get().device() != 0
                    ? List.of(to.get().device())
                    : group && !toSelf && type.equals("retry") ? List.of(author.get().device())
                    : phones.deviceIds(target.get());
            for (int device : devices) {
                if (!(target.get().phone().equals(me.get().phone()) && device == self.device())) {
                    deliver(target.get(), device, "receipt|" + id + "|" + type + "|" + me.get().phone(), forwarded);
                }
            }
        }
        var ack = Node.attrs("class", "receipt", "id", id, "from", toText);
        if (!type.isEmpty()) {
            ack.put("type", type);
        }
        reply.accept(Node.of("ack", ack));
    }

    /**
     * A media-retry stanza (the client's {@code MediaRetries}): a {@code server-error} receipt to one's own user is a receiver's
     * request and goes to the devices of the file's sender (the {@code rmr} names the chat, and in a group the
     * author); one to another user is a sender's answer and reaches the requester's devices as
     * {@code <notification type="mediaretry">}.
     */
    private void mediaRetry(Jid self, VirtualPhone me, Jid to, Node receipt) {
        String id = receipt.attributeOr("id", "");
        Optional<Node> rmr = receipt.child("rmr");
        boolean request = to.user().equals(me.phone()) || to.user().equals(me.lid());
        if (rmr.isEmpty()) {
            return;
        }
        List<Node> payload = receipt.children().stream().filter(child -> !child.tag().equals("rmr")).toList();
        if (request) {
            boolean fromMe = rmr.get().attributeOr("from_me", "false").equals("true");
            Optional<VirtualPhone> sender = fromMe ? Optional.of(me)
                    : rmr.get().attribute("participant").or(() -> rmr.get().attribute("jid")).flatMap(Jid::parse)
                            .flatMap(phones::account);
            if (sender.isEmpty()) {
                return;
            }
            List<Node> content = new ArrayList<>(payload);
            content.add(Node.of("rmr", Node.attrs("jid", address(me, 0, false).toString(), "from_me", "true")));
            Node forwarded = Node.withChildren("receipt", Node.attrs("from", address(me, self.device(), false)
                    .toString(), "id", id, "t", now(), "type", "server-error"), content);
            for (int device : phones.deviceIds(sender.get())) {
                if (!(sender.get().phone().equals(me.phone()) && device == self.device())) {
                    deliver(sender.get(), device, "receipt|" + id + "|server-error|" + me.phone(), forwarded);
                }
            }
            return;
        }
        Optional<VirtualPhone> requester = phones.account(to);
        if (requester.isEmpty()) {
            return;
        }
        List<Node> content = new ArrayList<>();
        content.add(Node.of("rmr", Node.attrs("jid", address(me, 0, false).toString(), "from_me", "false")));
        content.addAll(payload);
        Node notification = Node.withChildren("notification", Node.attrs("from", address(me, 0, false).toString(),
                "id", id, "t", now(), "type", "mediaretry"), content);
        for (int device : phones.deviceIds(requester.get())) {
            deliver(requester.get(), device, "notification|" + id + "|", notification);
        }
    }

    /** A device's {@code <ack>} of a stanza it was sent: no longer queued for it. */
    synchronized void acked(Jid self, Node ack) {
        String id = ack.attributeOr("id", "");
        switch (ack.attributeOr("class", "")) {
            case "message" -> queue.acknowledge(self.user(), self.device(), "message|" + id + "|");
            case "notification" -> queue.acknowledge(self.user(), self.device(), "notification|" + id + "|");
            case "call" -> queue.acknowledge(self.user(), self.device(), "call|" + id + "|");
            case "receipt" -> queue.acknowledge(self.user(), self.device(),
                    "receipt|" + id + "|" + ack.attributeOr("type", "") + "|");
            default -> {
            }
        }
    }

    /**
     * {@code caller} rings {@code callee}: every companion linked to the callee is offered the call (protocol.md
     * §1.19), at once when online, else at its next login, and again at every login until it acks the
     * {@code <call>} stanza, like any queued stanza.
     */
    void offerCall(VirtualPhone caller, VirtualPhone callee, String callId, boolean video) {
        calls.put(callId, new CallParties(caller.phone(), callee.phone()));
        String from = Jid.device(caller.phone(), 0, Jid.USER_SERVER).toString();
        List<Node> media = video
                ? List.of(Node.of("audio", Node.attrs("enc", "opus", "rate", "16000")),
                        Node.of("video", Node.attrs("enc", "vp8")))
                : List.of(Node.of("audio", Node.attrs("enc", "opus", "rate", "16000")));
        for (int device : phones.deviceIds(callee)) {
            if (device == 0) {
                continue;
            }
            String id = "sbx-call-" + ids.incrementAndGet();
            Node offer = Node.withChildren("call", Node.attrs("from", from, "id", id, "t", now()),
                    List.of(Node.withChildren("offer", Node.attrs("call-id", callId, "call-creator", from), media)));
            deliver(callee, device, "call|" + id + "|", offer);
        }
    }

    /**
     * A phone's user acts on a call it is a party of: {@code signal} is {@code accept}, {@code reject} (the callee's
     * phone) or {@code terminate} (either party hangs up). The {@code <call>} stanza goes to every device of the
     * other party and to the acting account's companions, queued until acked like any call stanza. False when the
     * network placed no such call or the phone is not a party of it.
     */
    boolean callSignal(VirtualPhone actor, String callId, String signal) {
        CallParties parties = calls.get(callId);
        if (parties == null || !parties.caller().equals(actor.phone()) && !parties.callee().equals(actor.phone())) {
            return false;
        }
        String creator = Jid.device(parties.caller(), 0, Jid.USER_SERVER).toString();
        var attrs = Node.attrs("call-id", callId, "call-creator", creator);
        if (signal.equals("reject")) {
            attrs.put("count", "0");
        }
        relay(actor, 0, parties.caller().equals(actor.phone()) ? parties.callee() : parties.caller(),
                List.of(Node.of(signal, attrs)));
        return true;
    }

    /**
     * A companion's {@code <call to>} (a reject, say, protocol.md §1.19): carried, as it is, to every device of the
     * account it is addressed to and to the sender's other devices, then acked; refused (error 479) without a
     * routable {@code to} or a child naming a call.
     */
    private void relayCall(Jid self, Node call, Consumer<Node> reply) {
        String id = call.attributeOr("id", "");
        String toText = call.attributeOr("to", "");
        Optional<VirtualPhone> sender = phones.account(self);
        Optional<VirtualPhone> to = Jid.parse(toText).flatMap(phones::account);
        boolean named = !call.children().isEmpty()
                && call.children().stream().allMatch(child -> child.attribute("call-id").isPresent());
        var ack = Node.attrs("class", "call", "id", id, "from", toText);
        if (id.isEmpty() || sender.isEmpty() || to.isEmpty() || !named) {
            ack.put("error", INVALID_STANZA);
            reply.accept(Node.of("ack", ack));
            return;
        }
        relay(sender.get(), self.device(), to.get().phone(), call.children());
        reply.accept(Node.of("ack", ack));
    }

    private void relay(VirtualPhone sender, int senderDevice, String otherPhone, List<Node> signals) {
        String from = Jid.device(sender.phone(), senderDevice, Jid.USER_SERVER).toString();
        Optional<VirtualPhone> other = phones.phone(otherPhone);
        String id = "sbx-call-" + ids.incrementAndGet();
        Node stanza = Node.withChildren("call", Node.attrs("from", from, "id", id, "t", now()), signals);
        other.ifPresent(account -> phones.deviceIds(account)
                .forEach(device -> deliver(account, device, "call|" + id + "|", stanza)));
        phones.deviceIds(sender).stream().filter(device -> device != senderDevice)
                .forEach(device -> deliver(sender, device, "call|" + id + "|", stanza));
    }

    /**
     * A companion's {@code <presence>}: {@code type=subscribe to} registers it for that account's presence and
     * answers with the current one when the account announced any; {@code available}/{@code unavailable} announces
     * the sender's account. Presence is not queued: who is offline misses it, as on WhatsApp.
     */
    private void presence(Jid self, Node presence, Consumer<Node> reply) {
        Optional<VirtualPhone> account = phones.account(self);
        if (account.isEmpty()) {
            return;
        }
        String type = presence.attributeOr("type", "available");
        if (type.equals("subscribe")) {
            presence.attribute("to").flatMap(Jid::parse).flatMap(phones::account).ifPresent(target -> {
                subscribers.computeIfAbsent(target.phone(), k -> java.util.concurrent.ConcurrentHashMap.newKeySet())
                        .add(self);
                Optional.ofNullable(presences.get(target.phone()))
                        .ifPresent(current -> reply.accept(presenceStanza(target, current)));
            });
        } else if (type.equals("available") || type.equals("unavailable")) {
            announce(account.get(), type.equals("available"));
        }
    }

    /** An account's presence changed: kept, and sent to the companions subscribed to it that are online. */
    void announce(VirtualPhone account, boolean available) {
        Announced now = new Announced(available, clock.instant());
        presences.put(account.phone(), now);
        Node stanza = presenceStanza(account, now);
        for (Jid subscriber : subscribers.getOrDefault(account.phone(), Set.of())) {
            SandboxEndpoint connection = online.get(subscriber.toString());
            if (connection != null) {
                connection.send(stanza);
            }
        }
    }

    /** The account's last announced presence and when, if it announced any. */
    Optional<Announced> presenceOf(VirtualPhone account) {
        return Optional.ofNullable(presences.get(account.phone()));
    }

    /**
     * A chat state from {@code account} ({@code <chatstate to><composing [media=audio]/>|<paused/></chatstate>}) to
     * every device of the person it is for (their phone and companions), as {@code <chatstate from>}; not queued.
     */
    void chatState(VirtualPhone account, Node chatState) {
        Optional<VirtualPhone> to = chatState.attribute("to").flatMap(Jid::parse).flatMap(phones::account);
        if (to.isEmpty() || chatState.children().isEmpty()) {
            return;
        }
        Node stanza = Node.withChildren("chatstate", Node.attrs("from",
                Jid.device(account.phone(), 0, Jid.USER_SERVER).toString()), chatState.children());
        for (int device : phones.deviceIds(to.get())) {
            if (device == 0) {
                phoneThread.execute(() -> phones.primary(to.get()).deliver(stanza));
                continue;
            }
            SandboxEndpoint connection = online.get(Jid.device(to.get().phone(), device, Jid.USER_SERVER)
                    .toString());
            if (connection != null) {
                connection.send(stanza);
            }
        }
    }

    private static Node presenceStanza(VirtualPhone account, Announced presence) {
        String from = Jid.device(account.phone(), 0, Jid.USER_SERVER).toString();
        return Node.of("presence", presence.available() ? Node.attrs("from", from)
                : Node.attrs("from", from, "type", "unavailable", "last",
                        Long.toString(presence.at().getEpochSecond())));
    }

    /** A presence an account announced, and when. */
    record Announced(boolean available, java.time.Instant at) {
    }

    private record CallParties(String caller, String callee) {
    }

    /** The privacy tokens the network mints and, for accounts that ask for them, checks. */
    PrivacyTokens tokens() {
        return tokens;
    }

    /** How many stanzas the account's companion devices (not the phone itself) have not acknowledged yet. */
    int unacknowledgedByCompanions(VirtualPhone account) {
        return phones.deviceIds(account).stream().filter(device -> device != 0)
                .mapToInt(device -> queue.queued(account.phone(), device).size()).sum();
    }

    /** A server notification for every device of the account, queued like any stanza until each acks it. */
    void notify(VirtualPhone account, Node notification) {
        String key = "notification|" + notification.attributeOr("id", "") + "|";
        phones.deviceIds(account).forEach(device -> deliver(account, device, key, notification));
    }

    /**
     * An account's device list changed ({@code add} or {@code remove} of {@code device}): its other devices and the
     * accounts it messaged get a {@code devices} notification, so that their cached device lists are refreshed
     * (protocol.md §1.13, §1.21).
     */
    void devicesChanged(VirtualPhone account, String change, int device, int keyIndex) {
        Node entry = Node.of("device", change.equals("add")
                ? Node.attrs("jid", Jid.device(account.phone(), device, Jid.USER_SERVER).toString(),
                        "key-index", Integer.toString(keyIndex))
                : Node.attrs("jid", Jid.device(account.phone(), device, Jid.USER_SERVER).toString()));
        String id = "sbx-dev-" + ids.incrementAndGet();
        Node notification = Node.withChildren("notification", Node.attrs(
                "from", Jid.device(account.phone(), 0, Jid.USER_SERVER).toString(), "type", "devices",
                "id", id, "t", now(), "lid", Jid.device(account.lid(), 0, Jid.LID_SERVER).toString()),
                List.of(Node.withChildren(change, Map.of(), List.of(entry))));
        List<String> others;
        synchronized (this) {
            others = List.copyOf(peers.getOrDefault(account.phone(), Set.of()));
        }
        for (int own : phones.deviceIds(account)) {
            if (own != device) {
                deliver(account, own, "notification|" + id + "|", notification);
            }
        }
        others.forEach(peer -> phones.phone(peer).ifPresent(other -> notify(other, notification)));
    }

    void deliver(VirtualPhone account, int device, String stanzaKey, Node stanza) {
        Jid target = Jid.device(account.phone(), device, Jid.USER_SERVER);
        synchronized (this) {
            queue.enqueue(account.phone(), device, stanzaKey, NodeEncoder.marshal(stanza), clock.instant());
            if (device == 0) {
                phoneThread.execute(() -> phones.primary(account).deliver(stanza));
                return;
            }
            SandboxEndpoint connection = online.get(target.toString());
            if (connection != null) {
                connection.send(stanza);
            }
        }
    }

    /** A usync query: per user, whatever of {@code contact}, {@code devices} and {@code lid} was asked. */
    private void usync(Node iq, Consumer<Node> reply) {
        String id = iq.attributeOr("id", "");
        Optional<Node> usync = iq.child("usync");
        Optional<Node> query = usync.flatMap(u -> u.child("query"));
        Optional<Node> list = usync.flatMap(u -> u.child("list"));
        if (query.isEmpty() || list.isEmpty()) {
            reply.accept(Stanzas.error(id, 400, "bad-request"));
            return;
        }
        List<String> protocols = query.get().children().stream().map(Node::tag).toList();
        List<Node> users = new ArrayList<>();
        for (Node user : list.get().children()) {
            Optional<String> asked = user.attribute("jid");
            Optional<String> number = user.child("contact").flatMap(MessageRouter::content)
                    .map(text -> text.replaceAll("[^0-9]", ""));
            Optional<VirtualPhone> account = asked.isPresent()
                    ? asked.flatMap(Jid::parse).flatMap(phones::account)
                    : number.flatMap(phones::phone);
            String jid = asked.orElse(number.orElse("") + "@" + Jid.USER_SERVER);
            if (asked.isEmpty() && account.isPresent()) {
                jid = account.get().phone() + "@" + Jid.USER_SERVER;
            }
            List<Node> answers = new ArrayList<>();
            for (String protocol : protocols) {
                switch (protocol) {
                    case "contact" -> answers.add(Node.of("contact",
                            Node.attrs("type", account.isPresent() ? "in" : "out")));
                    case "devices" -> answers.add(Node.withChildren("devices", Map.of(), List.of(
                            Node.withChildren("device-list", Map.of(), account.map(this::deviceList)
                                    .orElse(List.of())))));
                    case "lid" -> account.ifPresent(a -> answers.add(Node.of("lid",
                            Node.attrs("val", a.lid() + "@" + Jid.LID_SERVER))));
                    default -> {
                    }
                }
            }
            users.add(Node.withChildren("user", Node.attrs("jid", jid), answers));
        }
        var attrs = new LinkedHashMap<>(usync.get().attributes());
        reply.accept(Stanzas.result(id, List.of(Node.withChildren("usync", attrs,
                List.of(Node.withChildren("list", Map.of(), users))))));
    }

    private List<Node> deviceList(VirtualPhone account) {
        List<Node> devices = new ArrayList<>(List.of(Node.of("device", Node.attrs("id", "0"))));
        phones.devices(account.phone()).forEach(device -> devices.add(Node.of("device", Node.attrs(
                "id", Integer.toString(device.device()), "key-index", Integer.toString(device.keyIndex())))));
        return devices;
    }

    private static Optional<String> content(Node node) {
        return node.text().or(() -> node.bytes().map(bytes -> new String(bytes, StandardCharsets.UTF_8)));
    }

    /** The device's JID in PN or LID form; device 0 is written without a device part. */
    private static Jid address(VirtualPhone account, int device, boolean lid) {
        return lid ? Jid.device(account.lid(), device, Jid.LID_SERVER)
                : Jid.device(account.phone(), device, Jid.USER_SERVER);
    }

    private String now() {
        return Long.toString(clock.instant().getEpochSecond());
    }

    private record Delivery(VirtualPhone account, int device, List<Node> encs) {
    }
}
