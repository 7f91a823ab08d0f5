package ponte.adapters.whatsapp.sandbox;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.sandbox.store.KeyBundle;
import ponte.adapters.whatsapp.sandbox.store.LinkedDevice;
import ponte.adapters.whatsapp.sandbox.store.SandboxMessageStore;
import ponte.adapters.whatsapp.sandbox.store.SandboxPhoneStore;
import ponte.adapters.whatsapp.sandbox.store.VirtualPhone;

/**
 * The sandbox's phones: simulated accounts whose primary device links companions as a real phone does, by
 * scanning a QR ({@link DeviceLinking}) or by a typed code ({@link CodeLinking}), keeps their device list, and
 * removes them again. It also routes a connection's phone-related stanzas to the part that handles them, the
 * prekey directory ({@link KeyDirectory}) included.
 */
public final class VirtualPhones {

    private static final String QR_PREFIX = "https://wa.me/settings/linked_devices#";

    private final SandboxPhoneStore store;
    private final Clock clock;
    private final SecureRandom random;
    private final Map<String, SandboxEndpoint> online;
    private final DeviceLinking linking;
    private final CodeLinking codes;
    private final KeyDirectory keys;
    private final MessageRouter router;
    private final SandboxMessageStore messages;
    private final Map<String, PhoneDevice> primaries = new ConcurrentHashMap<>();

    VirtualPhones(SandboxPhoneStore store, SandboxMessageStore messages, Clock clock, SecureRandom random,
            Map<String, SandboxEndpoint> online, ScheduledExecutorService timers) {
        this.messages = messages;
        this.store = store;
        this.clock = clock;
        this.random = random;
        this.online = online;
        this.router = new MessageRouter(this, messages, clock, random, online, timers);
        this.linking = new DeviceLinking(store, clock, random, timers, this::linked);
        this.codes = new CodeLinking(store, linking, clock, random);
        this.keys = new KeyDirectory(this, store, clock, online);
    }

    /** A new account; fails with {@link IllegalStateException} when the number already has one. */
    public VirtualPhone create(String phone, String pushName) {
        if (!phone.matches("[1-9][0-9]{6,14}")) {
            throw new IllegalArgumentException("a phone number is 7 to 15 digits, international, without +");
        }
        String lid = Long.toString(100_000_000_000_000L + (random.nextLong() & Long.MAX_VALUE) % 900_000_000_000_000L);
        var created = new VirtualPhone(phone, pushName, lid, KeyPair.generate(random), 1 + random.nextInt(1 << 30));
        if (!store.createPhone(created, clock.instant())) {
            throw new IllegalStateException("the sandbox already has a phone " + phone);
        }
        return created;
    }

    public Optional<VirtualPhone> phone(String phone) {
        return store.phone(phone);
    }

    public List<VirtualPhone> phones() {
        return store.phones();
    }

    public List<LinkedDevice> devices(String phone) {
        return store.devices(existing(phone).phone());
    }

    /**
     * The phone's camera reads a companion's QR text: the companion whose current ref it shows is linked. Completes
     * when the companion has countersigned; fails when no connected companion shows this QR now.
     */
    public CompletableFuture<LinkedDevice> scan(String phone, String qrText) {
        VirtualPhone account = existing(phone);
        String[] parts = qrText.startsWith(QR_PREFIX) ? qrText.substring(QR_PREFIX.length()).split(",") : new String[0];
        if (parts.length < 4) {
            throw new IllegalArgumentException("not a WhatsApp linking QR text");
        }
        DeviceLinking.Registration registration = linking.showing(parts[0], clock.instant())
                .orElseThrow(() -> new NoSuchElementException("no connected companion shows this QR now"));
        Base64.Decoder b64 = Base64.getDecoder();
        if (!Arrays.equals(b64.decode(parts[1]), registration.noisePublic())
                || !Arrays.equals(b64.decode(parts[2]), registration.identityPublic())) {
            throw new IllegalArgumentException("the QR's keys are not the registering companion's");
        }
        String platform = parts.length > 4 ? DeviceLinking.platformName(parts[4]) : "unknown";
        return linking.link(account, registration, b64.decode(parts[3]), platform);
    }

    /**
     * The phone's user types the code a companion showed: the phone answers the companion's hello for this number
     * with its own ephemeral key wrapped by the code. Completes when linked; fails when the code was wrong.
     */
    public CompletableFuture<LinkedDevice> linkCode(String phone, String code) {
        return codes.typed(existing(phone), code);
    }

    /** The phone removes a companion from its device list; an online companion is told and disconnected. */
    public boolean unlink(String phone, int device) {
        VirtualPhone account = existing(phone);
        boolean removed = store.unlink(account.phone(), device);
        disconnectRemoved(phone, device);
        if (removed) {
            router.devicesChanged(account, "remove", device, 0);
        }
        return removed;
    }

    /**
     * {@code fromPhone} calls {@code toPhone}: every device linked to the callee is offered the call, at once when
     * online, otherwise when it next logs in, and again on every login until it acks the {@code <call>} stanza.
     * Returns the call's id.
     */
    public String call(String fromPhone, String toPhone, boolean video) {
        VirtualPhone caller = existing(fromPhone);
        VirtualPhone callee = existing(toPhone);
        String callId = java.util.HexFormat.of().withUpperCase().formatHex(randomBytes(16));
        router.offerCall(caller, callee, callId, video);
        return callId;
    }

    /** How many stanzas the phone's linked companion devices have not acknowledged yet. */
    public int unacknowledged(String phone) {
        return router.unacknowledgedByCompanions(existing(phone));
    }

    /** A registering companion was sent these refs; a phone may scan them while the connection lasts. */
    void awaitScan(SandboxEndpoint endpoint, PairingRefs refs, byte[] noisePublic, byte[] identityPublic) {
        linking.register(endpoint, refs, noisePublic, identityPublic);
    }

    void closed(SandboxEndpoint endpoint) {
        linking.closed(endpoint);
        codes.closed(endpoint);
    }

    /**
     * The phone sends a text to another sandbox account ({@code to}: its number, digits only or with {@code +}, or
     * its PN JID; a group JID goes to {@link #sendGroupText}): encrypted for every device of the recipient and, as a DeviceSentMessage, for this phone's own
     * companions, then carried by the network. Returns the message id. Fails with {@link NoSuchElementException}
     * for an unknown phone or recipient, {@link IllegalStateException} when no device of the recipient has keys.
     */
    public String sendText(String phone, String to, String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("a text message needs text");
        }
        if (to != null && to.endsWith("@" + GroupRegistry.GROUP_SERVER)) {
            return sendGroupText(phone, to, text);
        }
        return primary(existing(phone)).sendText(recipient(to), text);
    }

    /**
     * Adds {@code count} made-up texts over {@code chats} chats to the phone's history, which it hands every companion
     * linked from now on (see {@code PhoneDevice.sendHistoryBootstrap}); returns how many messages the history
     * holds. Fails with {@link NoSuchElementException} for an unknown phone.
     */
    public int seedHistory(String phone, int count, int chats) {
        PhoneDevice device = primary(existing(phone));
        device.seedHistory(count, chats);
        return device.historySize();
    }

    /** The texts the phone's primary device received and decrypted, oldest first. */
    public List<ReceivedMessage> received(String phone) {
        return primary(existing(phone)).received();
    }

    /** The receipts the phone's primary device saw for its messages, oldest first. */
    public List<SeenReceipt> receipts(String phone) {
        return primary(existing(phone)).receipts();
    }

    /** The phone's user reads messages of the chat with {@code chat} (number or PN JID): a read receipt goes out. */
    public void markRead(String phone, String chat, List<String> messageIds) {
        VirtualPhone peer = recipient(chat);
        primary(existing(phone)).markRead(Jid.device(peer.phone(), 0, Stanzas.SERVER), messageIds);
    }

    /**
     * The phone creates a group with {@code subject} and the accounts {@code members} (numbers or PN JIDs), and is
     * its superadmin; every member's devices get a {@code w:gp2} create notification. Returns the group JID
     * ({@code …@g.us}). Fails with {@link NoSuchElementException} for an unknown phone or member.
     */
    public String createGroup(String phone, String subject, List<String> members) {
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("a group needs a subject");
        }
        List<VirtualPhone> accounts = members.stream().map(this::recipient).toList();
        return router.groups().create(existing(phone), subject, accounts).jid();
    }

    /**
     * The phone sends a text to one of its groups, as a sender-key party (an {@code skmsg}, and its sender key to
     * the member devices that lack it). Returns the message id. Fails with {@link NoSuchElementException} for an
     * unknown phone or group, {@link IllegalStateException} when the phone is not a member (the server refuses it).
     */
    public String sendGroupText(String phone, String groupJid, String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("a text message needs text");
        }
        GroupRegistry.Group group = existingGroup(groupJid);
        return primary(existing(phone)).sendGroupText(group, text);
    }

    /** Whether the sandbox has this group ({@code …@g.us}). */
    public boolean groupExists(String groupJid) {
        return router.groups().group(groupJid).isPresent();
    }

    /** The groups the phone is a member of: subject by group JID, in JID order. */
    public Map<String, String> groups(String phone) {
        VirtualPhone account = existing(phone);
        Map<String, String> found = new java.util.TreeMap<>();
        router.groups().all().stream().filter(group -> group.isMember(account.phone()))
                .forEach(group -> found.put(group.jid(), group.subject()));
        return found;
    }

    /** The group's members (phone numbers) and their roles ({@code superadmin}, {@code admin} or empty). */
    public Map<String, String> groupMembers(String groupJid) {
        return existingGroup(groupJid).members();
    }

    /**
     * The phone, an admin of the group, adds ({@code add}) or removes ({@code remove}) members, or promotes or
     * demotes them; everyone concerned hears it in a {@code w:gp2} notification. After a removal every remaining
     * phone replaces its sender key there, as WhatsApp clients do. Fails with {@link IllegalStateException} when
     * the phone is not an admin.
     */
    public void changeGroup(String phone, String groupJid, String action, List<String> members) {
        VirtualPhone admin = existing(phone);
        GroupRegistry.Group group = existingGroup(groupJid);
        if (!group.isAdmin(admin.phone()) || !List.of("add", "remove", "promote", "demote").contains(action)) {
            throw new IllegalStateException(phone + " cannot " + action + " in " + groupJid);
        }
        List<Node> asked = members.stream().map(this::recipient)
                .map(member -> Node.of("participant", Node.attrs("jid", member.phone() + "@" + Stanzas.SERVER)))
                .toList();
        router.groups().change(admin, group, action, Node.withChildren(action, Map.of(), asked));
        if (action.equals("remove")) {
            existingGroup(groupJid).members().keySet().forEach(member -> store.phone(member)
                    .ifPresent(account -> primary(account).rotateSenderKey(group.jid())));
        }
    }

    private GroupRegistry.Group existingGroup(String groupJid) {
        return router.groups().group(groupJid)
                .orElseThrow(() -> new NoSuchElementException("no sandbox group " + groupJid));
    }

    /**
     * From now on the account refuses 1:1 messages from other accounts' companions that carry no privacy token
     * minted for them (ack error 463), until they issue theirs ({@link PrivacyTokens}).
     */
    public void requirePrivacyTokens(String phone) {
        router.tokens().require(existing(phone));
    }

    /** How many privacy tokens the account's devices issued to contacts so far. */
    public int privacyTokensIssued(String phone) {
        return router.tokens().issuedBy(existing(phone));
    }

    /**
     * The phone loses its Signal session with {@code device} (a device JID such as {@code 5511…:3@s.whatsapp.net}):
     * the next message that device sends on it cannot be decrypted, and the phone asks for it again with retry
     * receipts.
     */
    public void forgetSession(String phone, String device) {
        primary(existing(phone)).forgetSession(Jid.parse(device)
                .orElseThrow(() -> new IllegalArgumentException("not a device JID: " + device)));
    }

    /** The account a user or device JID belongs to, by phone number ({@code s.whatsapp.net}) or by LID. */
    Optional<VirtualPhone> account(Jid jid) {
        return switch (jid.server()) {
            case Jid.USER_SERVER -> store.phone(jid.user());
            case Jid.LID_SERVER -> store.phoneByLid(jid.user());
            default -> Optional.empty();
        };
    }

    /** The account's device ids: 0 (the phone itself), then every linked companion's. */
    List<Integer> deviceIds(VirtualPhone account) {
        List<Integer> ids = new ArrayList<>(List.of(0));
        store.devices(account.phone()).forEach(device -> ids.add(device.device()));
        return ids;
    }

    /** The phone's primary device as a Signal party, made on first use from the state the database keeps. */
    PhoneDevice primary(VirtualPhone account) {
        return primaries.computeIfAbsent(account.phone(),
                phone -> new PhoneDevice(account, this, router, messages, clock, random));
    }

    /** A device's key bundle, consuming a one-time prekey: the phone's own for device 0, else what it uploaded. */
    Optional<KeyBundle> takeBundle(String phone, int device) {
        if (device == 0) {
            return store.phone(phone).map(account -> primary(account).takeBundle());
        }
        return store.devices(phone).stream().anyMatch(linked -> linked.device() == device)
                ? store.takeBundle(phone, device) : Optional.empty();
    }

    private void linked(LinkedDevice device) {
        store.phone(device.phone()).ifPresent(
                account -> router.devicesChanged(account, "add", device.device(), device.keyIndex()));
    }

    /** A device logged in: its queued stanzas go out again. */
    void loggedIn(Jid device, SandboxEndpoint endpoint) {
        router.loggedIn(device, endpoint);
    }

    /** Handles the phone-related stanzas of a connection; false when the node is someone else's business. */
    boolean receive(SandboxEndpoint endpoint, String onlineAs, Node node) {
        Optional<Jid> loggedIn = Optional.ofNullable(onlineAs).flatMap(Jid::parse);
        if (loggedIn.isPresent() && router.receive(endpoint, loggedIn.get(), node)) {
            return true;
        }
        if (!node.tag().equals("iq")) {
            return false;
        }
        String type = node.attributeOr("type", "");
        String id = node.attributeOr("id", "");
        if (linking.receive(endpoint, id, type, node) || codes.receive(endpoint, id, type, node)) {
            return true;
        }
        Optional<Jid> self = Optional.ofNullable(onlineAs).flatMap(Jid::parse);
        if (self.isPresent() && node.attributeOr("xmlns", "").equals("encrypt")) {
            boolean handled = keys.receive(endpoint, self.get(), id, type, node);
            if (handled && type.equals("set") && self.get().device() != 0) {
                // a companion's first keys: its phone can now reach it, and hands it the history bootstrap
                store.phone(self.get().user()).ifPresent(account -> primary(account)
                        .sendHistoryBootstrap(self.get().device()));
            }
            return handled;
        }
        if (self.isPresent() && node.child("remove-companion-device").isPresent() && type.equals("set")) {
            // removed before the answer, so that whoever reads the answer finds the device gone
            boolean removed = store.unlink(self.get().user(), self.get().device());
            endpoint.send(Stanzas.result(id, List.of()));
            disconnectRemoved(self.get().user(), self.get().device());
            if (removed) {
                store.phone(self.get().user()).ifPresent(
                        account -> router.devicesChanged(account, "remove", self.get().device(), 0));
            }
            return true;
        }
        return false;
    }

    /** A removed device that is still online hears it is logged out, as a real one does, and is cut off. */
    private void disconnectRemoved(String phone, int device) {
        SandboxEndpoint connection = online.remove(Jid.device(phone, device, Stanzas.SERVER).toString());
        if (connection != null) {
            connection.send(Node.withChildren("stream:error", Node.attrs("code", "401"),
                    List.of(Node.of("conflict", Node.attrs("type", "device_removed")))));
            connection.hangUp();
        }
    }

    private VirtualPhone recipient(String to) {
        String number = to.contains("@") ? Jid.parse(to).filter(jid -> jid.server().equals(Stanzas.SERVER))
                .map(Jid::user).orElse("") : to.replaceFirst("^\\+", "");
        return store.phone(number).orElseThrow(() -> new NoSuchElementException("no sandbox phone " + to));
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private VirtualPhone existing(String phone) {
        return store.phone(phone).orElseThrow(() -> new NoSuchElementException("no sandbox phone " + phone));
    }
}
