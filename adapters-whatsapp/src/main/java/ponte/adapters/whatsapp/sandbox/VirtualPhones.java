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
import ponte.adapters.whatsapp.sandbox.store.SandboxGroupStore;
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

    private final MediaHost media;
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
    /** An account's two names, phone number and LID, which never change: cached both ways. */
    private final Map<String, String> lidByPhone = new ConcurrentHashMap<>();
    private final Map<String, String> phoneByLid = new ConcurrentHashMap<>();
    private final PhoneAppStates appStates;

    VirtualPhones(SandboxPhoneStore store, SandboxMessageStore messages, SandboxGroupStore groups, Clock clock,
            SecureRandom random, Map<String, SandboxEndpoint> online, ScheduledExecutorService timers,
            MediaHost media) {
        this.media = media;
        this.messages = messages;
        this.store = store;
        this.clock = clock;
        this.random = random;
        this.online = online;
        this.router = new MessageRouter(this, messages, groups, clock, random, online, timers);
        this.linking = new DeviceLinking(store, clock, random, timers, this::linked);
        this.codes = new CodeLinking(store, linking, clock, random);
        this.keys = new KeyDirectory(this, store, clock, online);
        this.appStates = new PhoneAppStates(this, store, router, clock, random);
    }

    /** What the phones' users do to their app state: address books, chat settings, labels. */
    public PhoneAppStates appStates() {
        return appStates;
    }

    /** The phone's app state, made on first use; in memory only. */
    PhoneAppState appState(VirtualPhone account) {
        return appStates.of(account);
    }

    /** The sandbox's media host, where phones upload and download in-process. */
    public MediaHost media() {
        return media;
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
     * Returns the call's id. A phone cannot call its own number (WhatsApp offers no such call): an
     * {@link IllegalArgumentException}.
     */
    public String call(String fromPhone, String toPhone, boolean video) {
        VirtualPhone caller = existing(fromPhone);
        VirtualPhone callee = existing(toPhone);
        if (caller.phone().equals(callee.phone())) {
            throw new IllegalArgumentException("+" + caller.phone() + " cannot call its own number");
        }
        String callId = java.util.HexFormat.of().withUpperCase().formatHex(randomBytes(16));
        router.offerCall(caller, callee, callId, video);
        return callId;
    }

    /**
     * The phone's user acts on a call it is a party of: {@code accept} or {@code reject} (as the callee's phone) or
     * {@code terminate} (hang up, either side). The {@code <call>} signal reaches the other party's devices and this
     * account's companions. Fails with {@link NoSuchElementException} for an unknown phone or a call the network did
     * not place with this phone, {@link IllegalArgumentException} for another action.
     */
    public void callAction(String phone, String callId, String action) {
        if (!java.util.Set.of("accept", "reject", "terminate").contains(action)) {
            throw new IllegalArgumentException("a call action is accept, reject or terminate; not " + action);
        }
        if (!router.callSignal(existing(phone), callId, action)) {
            throw new NoSuchElementException("no call " + callId + " of " + phone);
        }
    }

    /** The call signals and chat states the phone's primary device was sent, oldest first. */
    public List<SeenSignal> signals(String phone) {
        return primary(existing(phone)).signals();
    }

    /**
     * The phone's user comes online or goes offline: its presence is kept by the network and sent to the companions
     * subscribed to it.
     */
    public void announcePresence(String phone, boolean available) {
        router.announce(existing(phone), available);
    }

    /**
     * The phone's user types ({@code composing}), records a voice note ({@code recording}) or stops
     * ({@code paused}) in the chat with {@code to} (number or PN JID): every device of {@code to} is told.
     */
    public void chatState(String phone, String to, String state) {
        Node child = switch (state) {
            case "composing" -> Node.of("composing");
            case "recording" -> Node.of("composing", Node.attrs("media", "audio"));
            case "paused" -> Node.of("paused");
            default -> throw new IllegalArgumentException("a chat state is composing, recording or paused; not "
                    + state);
        };
        VirtualPhone peer = recipient(to);
        router.chatState(existing(phone), Node.withChildren("chatstate",
                Node.attrs("to", Jid.device(peer.phone(), 0, Jid.USER_SERVER).toString()), List.of(child)));
    }

    /**
     * The presence the network holds for the account {@code phone} (number or PN JID) — an instance's included,
     * as its companion announced it: empty when it never announced one.
     */
    public Optional<Boolean> presence(String phone) {
        return router.presenceOf(recipient(phone)).map(MessageRouter.Announced::available);
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
     * The phone's user sends any non-media message to another sandbox account (1:1): a text, location, contact
     * cards, reaction, poll, edit or revoke ({@link PhoneContents}), replying to {@code replyTo} (a message of the
     * chat) when given. Returns the message id. Fails as {@link #sendText}; {@link IllegalArgumentException} for
     * media.
     */
    public String send(String phone, String to, ponte.domain.message.OutgoingContent content,
                       Optional<String> replyTo) {
        VirtualPhone peer = recipient(to);
        PhoneDevice device = primary(existing(phone));
        String chat = Jid.device(peer.phone(), 0, Stanzas.SERVER).toString().replace(":0@", "@");
        String target = switch (content) {
            case ponte.domain.message.Message.Reaction r -> r.messageId().value();
            case ponte.domain.message.OutgoingContent.Revoke r -> r.messageId().value();
            default -> "";
        };
        // a reply quotes a message of the chat: written by this phone or by the peer
        var quoted = replyTo.map(id -> new String[] {id, (device.sentIt(id) ? existing(phone).phone()
                : peer.phone()) + "@" + Stanzas.SERVER});
        var message = PhoneContents.of(content, chat, quoted, device.sentIt(target));
        return device.send(peer, message, content instanceof ponte.domain.message.TextContent t ? t.text() : "");
    }

    /**
     * The phone's user votes on a poll it received from {@code to}: {@code options} by name (empty withdraws the
     * vote). Returns the vote's message id. Fails with {@link IllegalArgumentException} for a poll the phone never
     * received or an option it does not have.
     */
    public String vote(String phone, String to, String pollId, List<String> options) {
        return primary(existing(phone)).vote(recipient(to), pollId, options);
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
        return createGroup(phone, subject, members, false);
    }

    /**
     * As {@link #createGroup(String, String, List)}; {@code lidAddressed} makes it a group with
     * {@code addressing_mode="lid"}, as WhatsApp's newer groups are: participants, senders and receipts there are
     * named by LID.
     */
    public String createGroup(String phone, String subject, List<String> members, boolean lidAddressed) {
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("a group needs a subject");
        }
        List<VirtualPhone> accounts = members.stream().map(this::recipient).toList();
        VirtualPhone creator = existing(phone);
        return asServer(() -> router.groups().create(creator, subject, accounts,
                lidAddressed ? GroupRegistry.LID_ADDRESSED : GroupRegistry.PN_ADDRESSED).jid());
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

    /**
     * The phone posts a status update (a text story) seen by {@code audience} (numbers or PN JIDs): every device
     * of the audience gets it from {@code status@broadcast}. Returns its id. Fails with
     * {@link NoSuchElementException} for an unknown phone or audience member.
     */
    public String postStatus(String phone, List<String> audience, String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("a status update needs text");
        }
        List<String> numbers = audience.stream().map(member -> recipient(member).phone()).toList();
        return primary(existing(phone)).postStatus(numbers, text);
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

    /** The group's subject; {@link NoSuchElementException} for no such group. */
    public String groupSubject(String groupJid) {
        return existingGroup(groupJid).subject();
    }

    /** The group's members (phone numbers) and their roles ({@code superadmin}, {@code admin} or empty). */
    public Map<String, String> groupMembers(String groupJid) {
        return existingGroup(groupJid).members();
    }

    /**
     * The phone, an admin of the group, adds ({@code add}) or removes ({@code remove}) members, or promotes or
     * demotes them; everyone concerned hears it in a {@code w:gp2} notification. After a removal every remaining
     * phone replaces its sender key there, as WhatsApp clients do. Returns the server's error code per asked member
     * (0 when applied; 404 not an account or not a member, 408 left moments ago, 409 already in). Fails as
     * {@link #renameGroup}.
     */
    public Map<String, Integer> changeGroup(String phone, String groupJid, String action, List<String> members) {
        if (!List.of("add", "remove", "promote", "demote").contains(action)) {
            throw new IllegalArgumentException("not a participants action: " + action);
        }
        VirtualPhone admin = existing(phone);
        List<VirtualPhone> accounts = members.stream().map(this::recipient).toList();
        List<Node> asked = accounts.stream()
                .map(member -> Node.of("participant", Node.attrs("jid", member.phone() + "@" + Stanzas.SERVER)))
                .toList();
        List<Node> outcome = asServer(() -> router.groups().change(admin, existingGroup(groupJid), action,
                Node.withChildren(action, Map.of(), asked)));
        Map<String, Integer> errors = new java.util.LinkedHashMap<>();
        for (int i = 0; i < accounts.size(); i++) {
            errors.put(accounts.get(i).phone(), Integer.parseInt(outcome.get(i).attributeOr("error", "0")));
        }
        return errors;
    }

    /**
     * The phone's user renames the group, as its own phone would ask the server; members hear it. Fails with
     * {@link NoSuchElementException} for an unknown phone or group, {@link IllegalStateException} when the server
     * refuses (not a member; not an admin of a locked group), {@link IllegalArgumentException} for a blank subject or
     * one over {@value GroupRegistry#MAX_SUBJECT} characters.
     */
    public void renameGroup(String phone, String groupJid, String subject) {
        VirtualPhone actor = existing(phone);
        asServer(() -> {
            router.groups().subject(actor, existingGroup(groupJid), subject);
            return null;
        });
    }

    /** The phone's user sets (or, empty, deletes) the group's description; fails as {@link #renameGroup}. */
    public void describeGroup(String phone, String groupJid, String description) {
        VirtualPhone actor = existing(phone);
        asServer(() -> {
            router.groups().description(actor, existingGroup(groupJid), description, Optional.empty(), "");
            return null;
        });
    }

    /**
     * The phone's user, an admin, sets who sends ({@code announcement}, {@code not_announcement}) or who edits the
     * group's info ({@code locked}, {@code unlocked}); fails as {@link #renameGroup}.
     */
    public void setGroupSetting(String phone, String groupJid, String setting) {
        VirtualPhone actor = existing(phone);
        asServer(() -> {
            router.groups().setting(actor, existingGroup(groupJid), setting);
            return null;
        });
    }

    /**
     * The phone's privacy setting "who can add me to groups": everyone (the default) or nobody, when an admin's add is
     * answered 403 for it. {@link NoSuchElementException} for an unknown phone.
     */
    public void allowGroupAdds(String phone, boolean everyone) {
        router.groups().groupAdds(existing(phone), everyone);
    }

    /** The group's invite code as the phone's user, an admin, sees it; fails as {@link #renameGroup}. */
    public String groupInviteCode(String phone, String groupJid) {
        VirtualPhone actor = existing(phone);
        return asServer(() -> router.groups().inviteCode(actor, existingGroup(groupJid), false));
    }

    /**
     * The phone's user joins the group of an invite code; returns its JID. {@link NoSuchElementException} for an
     * unknown phone or code.
     */
    public String joinGroup(String phone, String code) {
        VirtualPhone actor = existing(phone);
        return asServer(() -> router.groups().join(actor, code).jid());
    }

    /** The phone's user leaves the group; fails as {@link #renameGroup}. */
    public void leaveGroup(String phone, String groupJid) {
        VirtualPhone actor = existing(phone);
        asServer(() -> {
            router.groups().leave(actor, existingGroup(groupJid));
            return null;
        });
    }

    /** The server's refusals as this class's exceptions: 404/406 unknown, 400 malformed (406 for a subject), else a conflict. */
    private static <T> T asServer(java.util.function.Supplier<T> operation) {
        try {
            return operation.get();
        } catch (GroupRegistry.Refusal refusal) {
            throw switch (refusal.code()) {
                case 404 -> new NoSuchElementException("no such sandbox group");
                case 406 -> new IllegalArgumentException("the server refused it as not acceptable (406): a blank "
                        + "subject, one over " + GroupRegistry.MAX_SUBJECT + " characters, or an unknown invite code");
                case 400 -> new IllegalArgumentException("the server refused it as malformed (400)");
                default -> new IllegalStateException("the server refused it (" + refusal.code() + " "
                        + refusal.getMessage() + ")");
            };
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

    /**
     * The phone loses the sender key {@code device} (a device JID) uses in {@code groupJid}: that device's next
     * message there cannot be decrypted, and the phone sends a group retry receipt for it.
     */
    public void forgetSenderKey(String phone, String groupJid, String device) {
        primary(existing(phone)).forgetSenderKey(groupJid, Jid.parse(device)
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

    /** The LID user of an account's phone number, when the sandbox has the account. */
    Optional<String> lidOf(String phone) {
        return Optional.ofNullable(lidByPhone.get(phone)).or(() -> store.phone(phone).map(this::remember)
                .map(VirtualPhone::lid));
    }

    /** The phone number of an account's LID user, when the sandbox has the account. */
    Optional<String> phoneOfLid(String lid) {
        return Optional.ofNullable(phoneByLid.get(lid)).or(() -> store.phoneByLid(lid).map(this::remember)
                .map(VirtualPhone::phone));
    }

    private VirtualPhone remember(VirtualPhone account) {
        lidByPhone.put(account.phone(), account.lid());
        phoneByLid.put(account.lid(), account.phone());
        return account;
    }

    /**
     * The phone encrypts and uploads {@code plaintext} for a media message it will send as {@code messageId}, and
     * keeps the file to answer media-retry requests for that message.
     */
    public PhoneMedia.Uploaded uploadMedia(String phone, String messageId, ponte.adapters.whatsapp.media.MediaType type,
            byte[] plaintext) {
        return primary(existing(phone)).media().upload(messageId, type, plaintext);
    }

    /**
     * The phone's user sends a file to another sandbox account (1:1): uploaded to the media host, then sent as its
     * media message; the phone keeps the file to answer media-retry requests. Returns the message id.
     */
    public String sendMedia(String phone, String to, ponte.adapters.whatsapp.media.MediaType type, byte[] plaintext,
            String mimeType, Optional<String> caption, Optional<String> fileName) {
        return sendMedia(phone, to, type, plaintext, mimeType, caption, fileName, false);
    }

    /**
     * As {@link #sendMedia(String, String, ponte.adapters.whatsapp.media.MediaType, byte[], String, Optional,
     * Optional)}; {@code expired}: the media host drops the file before the message goes out, so the receiver's
     * first download gets 410 and only a media retry recovers it.
     */
    public String sendMedia(String phone, String to, ponte.adapters.whatsapp.media.MediaType type, byte[] plaintext,
            String mimeType, Optional<String> caption, Optional<String> fileName, boolean expired) {
        VirtualPhone peer = recipient(to);
        PhoneDevice device = primary(existing(phone));
        var uploaded = device.media().upload(type, plaintext);
        if (expired) {
            media.expire(uploaded.directPath());
        }
        String id = device.send(peer, PhoneMedia.message(type, uploaded, mimeType, caption, fileName),
                caption.orElse(""));
        device.media().remember(id, type, uploaded, plaintext);
        return id;
    }

    /**
     * The file of a media message the phone received, downloaded and checked; asked again from its sender when
     * the host no longer has it. Empty when the phone received no file in that message.
     */
    public Optional<byte[]> receivedMedia(String phone, String messageId, java.time.Duration wait) {
        return primary(existing(phone)).media().receivedFile(messageId, wait);
    }

    /**
     * The phone sends its history to companions linked from now on as {@code md-msg-hist} media blobs on the media
     * host ({@code true}), as WhatsApp's phones do, or inline in the notification ({@code false}, the default).
     */
    public void sendHistoryAsBlobs(String phone, boolean blobs) {
        primary(existing(phone)).historyAsBlobs(blobs);
    }

    /**
     * The phone's app state is served as WhatsApp serves large ones: snapshots and patches' mutations as
     * {@code md-app-state} external blobs on the media host ({@code true}), or inline ({@code false}, the default).
     */
    public void serveAppStateAsBlobs(String phone, boolean blobs) {
        VirtualPhone account = existing(phone);
        PhoneMedia media = primary(account).media();
        appState(account).externalBlobs(!blobs ? null : bytes -> {
            var uploaded = media.upload(ponte.adapters.whatsapp.media.MediaType.APP_STATE, bytes);
            return ponte.adapters.whatsapp.proto.AppStateProto.ExternalBlobReference.newBuilder()
                    .setMediaKey(com.google.protobuf.ByteString.copyFrom(uploaded.mediaKey()))
                    .setDirectPath(uploaded.directPath())
                    .setFileSizeBytes(uploaded.sealed().fileLength())
                    .setFileSha256(com.google.protobuf.ByteString.copyFrom(uploaded.sealed().fileSha256()))
                    .setFileEncSha256(com.google.protobuf.ByteString.copyFrom(uploaded.sealed().fileEncSha256()))
                    .build();
        });
    }

    /** The phone deletes the file of a media message it sent: media-retry requests for it find nothing. */
    public void forgetMedia(String phone, String messageId) {
        primary(existing(phone)).media().forget(messageId);
    }

    /** The phone downloads and opens a file; empty when the host no longer has it. */
    public Optional<byte[]> downloadMedia(String phone, ponte.adapters.whatsapp.media.MediaType type,
            String directPath, byte[] mediaKey, byte[] fileEncSha256, byte[] fileSha256) {
        return primary(existing(phone)).media().download(type, directPath, mediaKey, fileEncSha256, fileSha256);
    }

    /**
     * The phone asks {@code peer} (a phone number), the sender of message {@code messageId} it received, to upload
     * its file again; completes with the new direct path.
     */
    public java.util.concurrent.CompletableFuture<String> requestMediaRetry(String phone, String peer,
            String messageId, byte[] mediaKey) {
        return primary(existing(phone)).media().requestRetry(messageId, Jid.device(peer, 0, Jid.USER_SERVER),
                mediaKey);
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
            // a companion's first keys: its phone can now reach it, and hands it the history bootstrap. Before the
            // upload is answered: the history is the phone's chats up to the moment the companion became reachable,
            // so a text sent once the companion knows it is reachable comes to it live and is not in the history too
            return keys.receive(endpoint, self.get(), id, type, node, () -> {
                if (self.get().device() == 0) {
                    return;
                }
                store.phone(self.get().user()).ifPresent(account -> {
                    PhoneDevice primary = primary(account);
                    boolean fresh = !primary.hasSession(self.get().device());
                    primary.sendHistoryBootstrap(self.get().device());
                    if (fresh) {
                        PhoneAppState state = appState(account);
                        primary.shareAppStateKey(self.get().device(), state.keyId(), state.keyData(),
                                state.keyTimestamp());
                    }
                });
            });
        }
        if (self.isPresent() && self.get().device() != 0 && type.equals("set")
                && node.attributeOr("xmlns", "").equals("w:sync:app:state")) {
            appStates.answer(endpoint, self.get(), id, node);
            return true;
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

    VirtualPhone existing(String phone) {
        return store.phone(phone).orElseThrow(() -> new NoSuchElementException("no sandbox phone " + phone));
    }
}
