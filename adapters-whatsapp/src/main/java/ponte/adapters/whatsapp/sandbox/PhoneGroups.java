package ponte.adapters.whatsapp.sandbox;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.proto.E2e;
import ponte.adapters.whatsapp.sandbox.store.VirtualPhone;
import ponte.adapters.whatsapp.signal.GroupCipher;
import ponte.adapters.whatsapp.signal.MessageType;
import ponte.adapters.whatsapp.signal.Padding;
import ponte.adapters.whatsapp.signal.SenderKeyName;
import ponte.adapters.whatsapp.signal.SenderKeyRecord;
import ponte.adapters.whatsapp.signal.SessionCipher;
import ponte.adapters.whatsapp.signal.SignalAddress;
import ponte.adapters.whatsapp.signal.SignalException;
import ponte.adapters.whatsapp.signal.SignalStore;

/**
 * A virtual phone's primary device in groups, as a sender-key party (protocol.md §1.12, §1.14, §1.15): it sends a
 * group text as one {@code skmsg} under its own sender key, handing the key first (a sender-key distribution
 * message inside a 1:1 {@code pkmsg}/{@code msg}) to every member device it has not handed it to yet; it receives
 * a group message by decrypting the {@code pkmsg}/{@code msg} first, taking in the sender key it carries, then the
 * {@code skmsg} (a retry answer has no {@code skmsg}: its text is in the 1:1 copy, beside the key); one it cannot
 * decrypt is asked for again with a group retry receipt ({@link PhoneDevice}). Which devices got its key is kept in
 * memory, so a restarted sandbox hands it again (a repeated key changes nothing at the receiver). Runs under its
 * {@link PhoneDevice}'s lock.
 */
final class PhoneGroups {

    private final VirtualPhone account;
    private final VirtualPhones phones;
    private final MessageRouter router;
    private final SignalStore signal;
    private final SessionCipher sessions;
    private final GroupCipher groups;
    private final SecureRandom random;
    private final Consumer<ReceivedMessage> received;
    /** Per group JID: the device JIDs that have our current sender key. */
    private final Map<String, Set<String>> distributed = new HashMap<>();

    PhoneGroups(VirtualPhone account, VirtualPhones phones, MessageRouter router, SignalStore signal,
            SessionCipher sessions, SecureRandom random, Consumer<ReceivedMessage> received) {
        this.account = account;
        this.phones = phones;
        this.router = router;
        this.signal = signal;
        this.sessions = sessions;
        this.groups = new GroupCipher(signal, random);
        this.random = random;
        this.received = received;
    }

    /** Sends {@code text} to {@code group}; the encryption per device is {@code encryptFor}'s. Returns the id. */
    String sendText(GroupRegistry.Group group, String text, Encryptor encryptFor) {
        return sendText(group.jid(), group.members().keySet(), group.lidAddressed(), text, encryptFor, false);
    }

    /**
     * Posts {@code text} as a status update to {@code audience} (numbers): one {@code skmsg} to
     * {@code status@broadcast} under this phone's status sender key, which every audience device gets again with
     * it (the server knows the audience only from {@code <participants>}). Returns the id.
     */
    String postStatus(List<String> audience, String text, Encryptor encryptFor) {
        List<String> members = new ArrayList<>(audience);
        members.add(account.phone());
        return sendText(STATUS_BROADCAST, members, false, text, encryptFor, true);
    }

    /** Where status updates are posted. */
    static final String STATUS_BROADCAST = "status@broadcast";

    private String sendText(String chatJid, java.util.Collection<String> members, boolean lidAddressed,
            String text, Encryptor encryptFor, boolean everyDevice) {
        String id = HexFormat.of().withUpperCase().formatHex(randomBytes(16));
        SenderKeyName own = new SenderKeyName(chatJid, ownAddress(lidAddressed));
        try {
            byte[] distribution = groups.distributionMessage(own);
            byte[] keyMessage = E2e.Message.newBuilder().setSenderKeyDistributionMessage(
                    E2e.SenderKeyDistributionMessage.newBuilder().setGroupId(chatJid)
                            .setAxolotlSenderKeyDistributionMessage(ByteString.copyFrom(distribution)))
                    .build().toByteArray();
            Set<String> have = everyDevice ? new HashSet<>()
                    : distributed.computeIfAbsent(chatJid, k -> new HashSet<>());
            List<Node> participants = new ArrayList<>();
            for (String phone : members) {
                Optional<VirtualPhone> member = phones.phone(phone);
                for (int device : member.map(phones::deviceIds).orElse(List.of())) {
                    String jid = GroupRegistry.named(lidAddressed, member.get(), device);
                    if (phone.equals(account.phone()) && device == 0 || have.contains(jid)) {
                        continue;
                    }
                    // the copy addressed in the group's form: by LID in a LID-addressed group
                    Optional<Node> copy = encryptFor.encrypt(member.get(), device, keyMessage)
                            .map(to -> Node.withChildren("to", Node.attrs("jid", jid), to.children()));
                    if (copy.isPresent()) {
                        participants.add(copy.get());
                        have.add(jid);
                    }
                }
            }
            byte[] skmsg = groups.encrypt(own, Padding.pad(
                    E2e.Message.newBuilder().setConversation(text).build().toByteArray(), random));
            List<Node> content = new ArrayList<>();
            if (!participants.isEmpty()) {
                content.add(Node.withChildren("participants", Map.of(), participants));
            }
            content.add(Node.withBytes("enc", Node.attrs("v", "2", "type", "skmsg"), skmsg));
            router.submit(Jid.device(account.phone(), 0, Jid.USER_SERVER), Node.withChildren("message",
                    Node.attrs("id", id, "to", chatJid, "type", "text", "addressing_mode",
                            lidAddressed ? GroupRegistry.LID_ADDRESSED : GroupRegistry.PN_ADDRESSED), content));
            return id;
        } catch (SignalException e) {
            throw new IllegalStateException("cannot encrypt for " + chatJid + ": " + e.getMessage(), e);
        }
    }

    /**
     * A member left: our sender key is replaced by a new one at the next send, handed to the remaining members
     * only, so the one who left cannot read on (WhatsApp rotates the same way).
     */
    void rotate(String groupJid) {
        for (boolean lid : new boolean[] {false, true}) {
            signal.storeSenderKey(new SenderKeyName(groupJid, ownAddress(lid)), SenderKeyRecord.empty());
        }
        distributed.remove(groupJid);
    }

    /** This phone's primary device as a group names it: by number, or by LID in a LID-addressed group. */
    private SignalAddress ownAddress(boolean lid) {
        return lid ? new SignalAddress(account.lid(), SignalAddress.LID_AGENT, 0)
                : SignalAddress.of(account.phone(), 0);
    }

    /**
     * A group message for this phone: true when decrypted and recorded (then receipted), false when it could not
     * be read.
     */
    boolean deliver(Node stanza) {
        String group = stanza.attributeOr("from", "");
        Optional<Jid> author = stanza.attribute("participant").flatMap(Jid::parse);
        if (author.isEmpty()) {
            return false;
        }
        SignalAddress address = SignalAddress.of(author.get());
        Optional<String> text = Optional.empty();
        try {
            for (Node enc : stanza.children()) {
                String type = enc.attributeOr("type", "");
                if (enc.tag().equals("enc") && (type.equals("pkmsg") || type.equals("msg"))) {
                    E2e.Message message = E2e.Message.parseFrom(Padding.unpad(sessions.decrypt(address,
                            MessageType.fromWire(type), enc.bytes().orElse(new byte[0])).plaintext()));
                    if (message.hasSenderKeyDistributionMessage()) {
                        var key = message.getSenderKeyDistributionMessage();
                        groups.process(new SenderKeyName(key.getGroupId().isEmpty() ? group : key.getGroupId(),
                                address), key.getAxolotlSenderKeyDistributionMessage().toByteArray());
                    }
                    // a retry answer carries the text itself beside the key, with no skmsg
                    text = text(message);
                }
            }
            for (Node enc : stanza.children()) {
                if (enc.tag().equals("enc") && enc.attributeOr("type", "").equals("skmsg")) {
                    E2e.Message message = E2e.Message.parseFrom(Padding.unpad(groups.decrypt(
                            new SenderKeyName(group, address), enc.bytes().orElse(new byte[0]))));
                    text = text(message);
                }
            }
        } catch (SignalException | InvalidProtocolBufferException | IllegalArgumentException e) {
            return false;
        }
        boolean mine = author.get().user().equals(account.phone()) || author.get().user().equals(account.lid());
        Jid authorUser = Jid.device(author.get().user(), 0, author.get().server());
        text.ifPresent(body -> received.accept(new ReceivedMessage(stanza.attributeOr("id", ""),
                authorUser.toString(), author.get().toString(), group, mine, body,
                Instant.ofEpochSecond(Long.parseLong(stanza.attributeOr("t", "0"))))));
        router.receipt(Jid.device(account.phone(), 0, Jid.USER_SERVER), Node.of("receipt", Node.attrs(
                "id", stanza.attributeOr("id", ""), "to", group, "participant", author.get().toString())), ack -> { });
        return true;
    }

    private static Optional<String> text(E2e.Message message) {
        return message.hasConversation() ? Optional.of(message.getConversation())
                : message.hasExtendedTextMessage() ? Optional.of(message.getExtendedTextMessage().getText())
                : Optional.empty();
    }

    /** Encrypts a plaintext for one device of an account: a {@code <to jid><enc/></to>}, or empty without keys. */
    @FunctionalInterface
    interface Encryptor {
        Optional<Node> encrypt(VirtualPhone owner, int device, byte[] plaintext);
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
