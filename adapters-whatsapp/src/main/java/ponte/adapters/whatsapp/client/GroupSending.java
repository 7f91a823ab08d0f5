package ponte.adapters.whatsapp.client;

import com.google.protobuf.ByteString;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.proto.E2e;
import ponte.adapters.whatsapp.signal.GroupCipher;
import ponte.adapters.whatsapp.signal.Padding;
import ponte.adapters.whatsapp.signal.PreKeyBundle;
import ponte.adapters.whatsapp.signal.SenderKeyName;
import ponte.adapters.whatsapp.signal.SenderKeyRecord;
import ponte.adapters.whatsapp.signal.SignalAddress;
import ponte.adapters.whatsapp.signal.SignalException;
import ponte.adapters.whatsapp.store.DeviceAccount;
import ponte.adapters.whatsapp.store.SignalStateStore;
import ponte.adapters.whatsapp.store.SignalTransaction;

/**
 * The feature that sends group text (protocol.md §1.14; whatsmeow send.go {@code sendGroup}): the group's
 * participants ({@link Groups}, cached), every participant's devices ({@link DeviceLists}), then, in one unit of
 * the device's Signal state committed before the stanza goes out, our sender key for the group (created on first
 * use and kept in the device store's sender-key table, under our device's address in the group's addressing mode),
 * a sender-key distribution message encrypted 1:1 ({@code pkmsg}/{@code msg}) for each device that has not had it
 * from us yet, and the text encrypted once as an {@code skmsg}. The stanza is {@code <message id to=gid type=text
 * addressing_mode><participants><to jid><enc/></to>…</participants><enc v=2 type=skmsg/>[<device-identity/>]
 * </message>}; the send completes when the server acks it.
 *
 * <p>Which devices hold our key is kept in the device store ({@link SignalTransaction#senderKeyHolders}), written in
 * the unit that encrypts their copies (as Baileys writes its {@code sender-key-memory} with the send), so a restart
 * hands the key only to devices that lack it, a new device of a participant included. A send the server did not
 * take un-records the devices it named; a device that still missed the key asks with a retry receipt, answered
 * with the key and the message ({@link RetryAnswers}). When participants are removed ({@code w:gp2}), our key there
 * is replaced and its holders forgotten in one unit, so they cannot read what follows. Each sent message is kept
 * for those retries.
 */
final class GroupSending {

    private final UUID deviceId;
    private final SignalStateStore signal;
    private final DeviceState device;
    private final Groups groups;
    private final DeviceLists deviceLists;
    private final Sending sending;
    private final RetryAnswers retries;
    private final SecureRandom random;

    GroupSending(UUID deviceId, SignalStateStore signal, DeviceState device, Groups groups, DeviceLists deviceLists,
            Sending sending, RetryAnswers retries, SecureRandom random) {
        this.deviceId = deviceId;
        this.signal = signal;
        this.device = device;
        this.groups = groups;
        this.deviceLists = deviceLists;
        this.sending = sending;
        this.retries = retries;
        this.random = random;
    }

    /**
     * Sends the text to its group ({@code to}: a {@code …@g.us} JID) under its message id, with its reply and
     * mentions as {@link OutgoingText#content()} makes them. Fails with a
     * {@link SendFailedException} when the group does not exist or we are not in it, or the server refuses the
     * message; otherwise as {@link Sending#sendText}.
     */
    CompletableFuture<SentMessage> sendText(OutgoingText outgoing) {
        return sending.inTurn(() -> send(outgoing));
    }

    /** Replaces our sender key in the group (a member was removed): the next send hands a new one to everyone. */
    void rotate(String groupJid) {
        DeviceAccount account = device.account().orElse(null);
        if (account == null) {
            return;
        }
        try {
            signal.inTransaction(deviceId, unit -> {
                for (SignalAddress own : ownAddresses(account)) {
                    SenderKeyName name = new SenderKeyName(groupJid, own);
                    if (unit.senderKey(name).isPresent()) {
                        unit.storeSenderKey(name, SenderKeyRecord.empty());
                    }
                }
                unit.clearSenderKeyHolders(groupJid);
                return null;
            });
        } catch (SignalException e) {
            throw new IllegalStateException(e);
        }
    }

    private SentMessage send(OutgoingText outgoing) throws Exception {
        String groupJid = outgoing.to();
        String messageId = outgoing.messageId();
        if (messageId == null || messageId.isBlank()) {
            throw new IllegalArgumentException("a message id is required");
        }
        if (!outgoing.hasContent()) {
            throw new IllegalArgumentException("the text is empty");
        }
        DeviceAccount account = device.account()
                .orElseThrow(() -> new IllegalStateException("the device is not linked to an account"));
        GroupInfo group = sending.await(groups.info(groupJid))
                .orElseThrow(() -> new SendFailedException("we are not a participant of " + groupJid));
        Jid self = Jid.parse(account.jid()).orElseThrow();
        Jid ownInGroup = group.lidAddressed() && account.lid() != null
                ? Jid.device(Jid.parse(account.lid()).orElseThrow().user(), self.device(), Jid.LID_SERVER)
                : self;
        List<Jid> users = group.participants().stream().flatMap(p -> Jid.parse(p.jid()).stream()).toList();
        if (users.stream().noneMatch(user -> user.user().equals(ownInGroup.user()))) {
            groups.invalidate(group.jid());
            throw new SendFailedException("we are not a participant of " + groupJid);
        }
        Map<Jid, DeviceLists.Devices> lists = sending.await(deviceLists.devices(users));
        List<Jid> devices = new ArrayList<>();
        lists.values().forEach(list -> list.jids().stream()
                .filter(jid -> !(jid.user().equals(ownInGroup.user()) && jid.device() == self.device()))
                .forEach(devices::add));
        Set<SignalAddress> have = signal.begin(deviceId).senderKeyHolders(group.jid());
        List<Jid> lacking = devices.stream().filter(jid -> !have.contains(SignalAddress.of(jid))).toList();

        SenderKeyName name = new SenderKeyName(group.jid(), SignalAddress.of(ownInGroup));
        Map<Jid, PreKeyBundle> bundles = sending.fetchBundles(sending.withoutSession(lacking));
        List<Node> participants = new ArrayList<>();
        byte[][] skmsg = new byte[1][];
        int[] counts = signal.inTransaction(deviceId, unit -> {
            participants.clear();
            GroupCipher cipher = new GroupCipher(unit, random);
            byte[] distribution = cipher.distributionMessage(name);
            byte[] keyMessage = E2e.Message.newBuilder().setSenderKeyDistributionMessage(
                    E2e.SenderKeyDistributionMessage.newBuilder().setGroupId(group.jid())
                            .setAxolotlSenderKeyDistributionMessage(ByteString.copyFrom(distribution)))
                    .build().toByteArray();
            Map<Jid, byte[]> plaintexts = new LinkedHashMap<>();
            lacking.forEach(jid -> plaintexts.put(jid, keyMessage));
            int[] encrypted = sending.encrypt(unit, plaintexts, bundles, participants);
            skmsg[0] = cipher.encrypt(name, Padding.pad(outgoing.content().toByteArray(), random));
            unit.addSenderKeyHolders(group.jid(), addresses(participants));
            return encrypted;
        });

        List<Node> content = new ArrayList<>();
        if (!participants.isEmpty()) {
            content.add(Node.withChildren("participants", Map.of(), participants));
        }
        content.add(Node.withBytes("enc", Node.attrs("v", "2", "type", "skmsg"), skmsg[0]));
        if (counts[1] > 0) {
            content.add(Node.withBytes("device-identity", Map.of(), account.signedIdentity()));
        }
        content.addAll(StanzaKinds.extraNodes(outgoing.content()));
        var attrs = Node.attrs("id", messageId, "to", group.jid(), "type", StanzaKinds.type(outgoing.content()),
                "addressing_mode", group.addressingMode());
        attrs.putAll(StanzaKinds.extraAttrs(outgoing.content()));
        Node stanza = Node.withChildren("message", attrs, content);
        // kept before it goes out: a member device that cannot decrypt its copy asks for it again at once
        retries.keep(messageId, Jid.parse(group.jid()).orElseThrow(), outgoing.content());
        Node answer;
        try {
            answer = sending.sendAndAwaitAck(stanza, messageId);
        } catch (Exception e) {
            unrecord(group.jid(), have);
            throw e;
        }
        Optional<String> error = answer.attribute("error");
        if (error.isPresent()) {
            unrecord(group.jid(), have);
            if (error.get().equals("403") || error.get().equals("404")) {
                groups.invalidate(group.jid());
            }
            throw Sending.refused(messageId, error.get());
        }
        Set<String> handed = new HashSet<>();
        participants.forEach(copy -> handed.add(copy.attributeOr("jid", "")));
        Instant t = Instant.ofEpochSecond(parseLong(answer.attributeOr("t", "0")));
        return new SentMessage(messageId, group.jid(), t, List.copyOf(handed), counts[0], counts[1]);
    }

    /** The Signal addresses of the devices that {@code <to jid>} copies went to. */
    private static List<SignalAddress> addresses(List<Node> participants) {
        return participants.stream().flatMap(copy -> Jid.parse(copy.attributeOr("jid", "")).stream())
                .map(SignalAddress::of).toList();
    }

    /**
     * The server did not take a send: the devices it named do not hold our key after all, so the holders go back
     * to {@code before} (sends of one device run one at a time, so nothing else changed them meanwhile).
     */
    private void unrecord(String groupJid, Set<SignalAddress> before) {
        try {
            signal.inTransaction(deviceId, unit -> {
                unit.clearSenderKeyHolders(groupJid);
                unit.addSenderKeyHolders(groupJid, before);
                return null;
            });
        } catch (SignalException | RuntimeException e) {
            // they ask with a retry receipt when our next message reaches them, which hands the key again
            System.getLogger(GroupSending.class.getName()).log(System.Logger.Level.WARNING,
                    "could not un-record the holders of our sender key in a group", e);
        }
    }

    /** Our device's addresses a sender key of ours may be stored under: PN, and LID when known. */
    static List<SignalAddress> ownAddresses(DeviceAccount account) {
        Jid self = Jid.parse(account.jid()).orElseThrow();
        List<SignalAddress> addresses = new ArrayList<>(List.of(SignalAddress.of(self)));
        Optional.ofNullable(account.lid()).flatMap(Jid::parse).ifPresent(lid -> addresses.add(
                SignalAddress.of(Jid.device(lid.user(), self.device(), Jid.LID_SERVER))));
        return addresses;
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
