package ponte.adapters.whatsapp.client;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.binary.NodeDecoder;
import ponte.adapters.whatsapp.binary.NodeEncoder;
import ponte.adapters.whatsapp.proto.E2e;
import ponte.adapters.whatsapp.signal.Encrypted;
import ponte.adapters.whatsapp.signal.GroupCipher;
import ponte.adapters.whatsapp.signal.MessageType;
import ponte.adapters.whatsapp.signal.Padding;
import ponte.adapters.whatsapp.signal.PreKeyBundle;
import ponte.adapters.whatsapp.signal.SenderKeyName;
import ponte.adapters.whatsapp.signal.SessionCipher;
import ponte.adapters.whatsapp.signal.SignalAddress;
import ponte.adapters.whatsapp.signal.SignalException;
import ponte.adapters.whatsapp.store.DeviceAccount;
import ponte.adapters.whatsapp.store.KeptMessage;
import ponte.adapters.whatsapp.store.SignalStateStore;
import ponte.adapters.whatsapp.store.SignalTransaction;

/**
 * The feature that answers a peer device's retry receipt for a 1:1 message we sent (protocol.md §1.15; whatsmeow
 * retry.go {@code handleRetryReceipt}): {@link Sending} keeps every message it sends ({@link #keep}); a
 * {@code <receipt type=retry id from><retry count/><registration/>[<keys><type/><identity/>[<key/>]<skey/>
 * [<device-identity/>]</keys>]</receipt>} from a device of the recipient, or of our own account, gets that message
 * encrypted again for that device alone: on a new session set up from the keys the receipt carries (sent from the
 * second try on), else on the session we have. The answer is {@code <message id to=device type=text><enc v=2
 * type count=N/>[<device-identity/>]</message>}, our own devices getting the DeviceSentMessage form.
 *
 * <p>A group member's retry for our {@code skmsg} ({@code <receipt type=retry id from=gid participant=device>})
 * is answered as WhatsApp clients answer it (whatsmeow retry.go, Baileys {@code relayMessage} with a retry
 * participant): the message, with our current sender-key distribution message for the group added to it, encrypted
 * 1:1 for that device alone, {@code <message id to=gid participant=device type=text><enc v=2 type count/>
 * [<device-identity/>]</message>}; the device is then recorded as holding our key, in the same unit.
 *
 * <p>A retry for a message we no longer keep, from a device of neither party (for a group: for a message we did not
 * send to that group), or whose keys do not verify, is acked and left unanswered, as the sender gives up after five
 * tries anyway.
 */
final class RetryAnswers {

    private static final System.Logger LOG = System.getLogger(RetryAnswers.class.getName());

    private final UUID deviceId;
    private final SignalStateStore signal;
    private final Supplier<Optional<DeviceAccount>> account;
    private final LidMappings lids;
    private final Inbox.Sender sender;
    private final SecureRandom random;

    RetryAnswers(UUID deviceId, SignalStateStore signal, Supplier<Optional<DeviceAccount>> account, LidMappings lids,
            Inbox.Sender sender, SecureRandom random) {
        this.deviceId = deviceId;
        this.signal = signal;
        this.account = account;
        this.lids = lids;
        this.sender = sender;
        this.random = random;
    }

    void register(NodeHandlers handlers) {
        handlers.on("receipt", "retry", this::onRetry);
    }

    /** Keeps what {@link Sending} sent to {@code chat} under {@code messageId}, so that a retry can be answered. */
    void keep(String messageId, Jid chat, E2e.Message message) {
        signal.keepSent(deviceId, messageId, NodeEncoder.encode(Node.withBytes("sent",
                Node.attrs("chat", chat.toString()), message.toByteArray())));
    }

    private void onRetry(Node receipt) throws IOException {
        String id = receipt.attributeOr("id", "");
        Optional<Jid> from = Jid.parse(receipt.attributeOr("from", ""));
        boolean group = from.filter(jid -> jid.server().equals("g.us")).isPresent();
        Optional<Jid> device = group ? receipt.attribute("participant").flatMap(Jid::parse) : from;
        Optional<KeptMessage> kept = signal.sentMessage(deviceId, id);
        Optional<DeviceAccount> own = account.get();
        if (device.isEmpty() || kept.isEmpty() || own.isEmpty()) {
            return; // nothing we can answer
        }
        Node sent = NodeDecoder.decode(kept.get().payload().orElseThrow());
        Optional<Jid> chat = Jid.parse(sent.attributeOr("chat", ""));
        E2e.Message message = E2e.Message.parseFrom(sent.bytes().orElse(new byte[0]));
        if (chat.isEmpty()) {
            return;
        }
        boolean ours = isOwn(device.get(), own.get());
        if (group ? !chat.get().equals(from.get()) : !ours && !samePerson(device.get(), chat.get())) {
            LOG.log(System.Logger.Level.WARNING, "a retry receipt for message {0} from a device of neither party", id);
            return;
        }
        SignalAddress address = SignalAddress.of(device.get());
        Encrypted encrypted;
        try {
            Optional<PreKeyBundle> bundle = bundle(receipt);
            encrypted = signal.inTransaction(deviceId, unit -> {
                SessionCipher cipher = new SessionCipher(unit, random);
                if (bundle.isPresent()) {
                    cipher.process(address, bundle.get());
                } else if (unit.session(address).isEmpty()) {
                    return null;
                }
                E2e.Message content = group ? withSenderKey(unit, chat.get(), own.get(), message) : message;
                byte[] plaintext = ours ? E2e.Message.newBuilder().setDeviceSentMessage(
                        E2e.DeviceSentMessage.newBuilder().setDestinationJid(chat.get().toString())
                                .setMessage(content)).build().toByteArray() : content.toByteArray();
                if (group) {
                    unit.addSenderKeyHolders(chat.get().toString(), List.of(address));
                }
                return cipher.encrypt(address, Padding.pad(plaintext, random));
            });
        } catch (SignalException | IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot answer the retry receipt for message {0}: {1}", id,
                    e.getMessage());
            return;
        }
        if (encrypted == null) {
            LOG.log(System.Logger.Level.INFO, "no session and no keys to answer the retry for message {0}", id);
            return;
        }
        String count = receipt.child("retry").map(retry -> retry.attributeOr("count", "1")).orElse("1");
        List<Node> content = new ArrayList<>(List.of(Node.withBytes("enc", Node.attrs("v", "2",
                "type", encrypted.type().wireName(), "count", count), encrypted.body())));
        if (encrypted.type() == MessageType.PKMSG) {
            content.add(Node.withBytes("device-identity", Map.of(), own.get().signedIdentity()));
        }
        var attrs = group
                ? Node.attrs("id", id, "to", chat.get().toString(), "participant", device.get().toString(),
                        "type", "text")
                : Node.attrs("id", id, "to", device.get().toString(), "type", "text");
        sender.send(Node.withChildren("message", attrs, content));
    }

    /**
     * The message with our current sender-key distribution message for the group added, under whichever of our
     * addresses holds our key there (the LID one first, as Baileys prefers it); as it is when we hold none.
     */
    private E2e.Message withSenderKey(SignalTransaction unit, Jid group, DeviceAccount own, E2e.Message message)
            throws SignalException {
        for (SignalAddress ours : GroupSending.ownAddresses(own).reversed()) {
            SenderKeyName name = new SenderKeyName(group.toString(), ours);
            if (unit.senderKey(name).filter(record -> !record.isEmpty()).isPresent()) {
                byte[] distribution = new GroupCipher(unit, random).distributionMessage(name);
                return message.toBuilder().setSenderKeyDistributionMessage(E2e.SenderKeyDistributionMessage
                        .newBuilder().setGroupId(group.toString())
                        .setAxolotlSenderKeyDistributionMessage(ByteString.copyFrom(distribution))).build();
            }
        }
        return message;
    }

    /** The bundle of the receipt's {@code <keys>} (and {@code <registration>}), when it carries them. */
    private static Optional<PreKeyBundle> bundle(Node receipt) throws SignalException {
        Optional<Node> keys = receipt.child("keys");
        if (keys.isEmpty()) {
            return Optional.empty();
        }
        List<Node> user = new ArrayList<>(keys.get().children());
        receipt.child("registration").ifPresent(user::add);
        return Optional.of(Sending.bundle(Node.withChildren("user", Map.of(), user)));
    }

    private boolean samePerson(Jid device, Jid chat) {
        if (device.user().equals(chat.user()) && device.server().equals(chat.server())) {
            return true;
        }
        Optional<String> other = chat.server().equals(Jid.LID_SERVER) ? lids.phoneOf(chat.user())
                : lids.lidOf(chat.user());
        return other.filter(device.user()::equals).isPresent();
    }

    private static boolean isOwn(Jid device, DeviceAccount own) {
        return Jid.parse(own.jid()).map(Jid::user).filter(device.user()::equals).isPresent()
                || Optional.ofNullable(own.lid()).flatMap(Jid::parse).map(Jid::user).filter(device.user()::equals)
                .isPresent();
    }
}
