package ponte.adapters.whatsapp.client;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.proto.E2e;
import ponte.adapters.whatsapp.signal.Encrypted;
import ponte.adapters.whatsapp.signal.IdentityKey;
import ponte.adapters.whatsapp.signal.MessageType;
import ponte.adapters.whatsapp.signal.Padding;
import ponte.adapters.whatsapp.signal.PreKeyBundle;
import ponte.adapters.whatsapp.signal.SessionCipher;
import ponte.adapters.whatsapp.signal.SignalAddress;
import ponte.adapters.whatsapp.signal.SignalException;
import ponte.adapters.whatsapp.store.DeviceAccount;
import ponte.adapters.whatsapp.store.SignalStateStore;
import ponte.adapters.whatsapp.store.SignalTransaction;

/**
 * The feature that sends 1:1 text (protocol.md §1.14; whatsmeow send.go {@code sendDM},
 * {@code encryptMessageForDevices}): the device lists of the recipient and of our own account ({@link DeviceLists}),
 * one {@code encrypt} IQ for the bundles of every device without a session, X3DH, then the padded message encrypted
 * for each of the recipient's devices and a DeviceSentMessage (the chat and the message) for our own other devices,
 * all in one unit of the device's Signal state that is committed before the stanza goes out (see
 * {@link ponte.adapters.whatsapp.store.SignalTransaction}). The stanza is
 * {@code <message id to type=text><participants><to jid><enc v=2 type=pkmsg|msg/></to>…</participants>
 * [<device-identity/>][<tctoken/>]</message>}, with our ADV signed device identity (as pairing stored it, account
 * key included) whenever a copy is a {@code pkmsg} and the privacy token we hold for the recipient
 * ({@link PrivacyTokens}); the send completes when the server's {@code <ack class=message id>} arrives. The
 * stanza keeps the recipient's form: a phone number or PN JID goes out PN-addressed, an {@code @lid} JID
 * LID-addressed (the recipient's and our own devices then named by LID, as Baileys does for {@code @lid} chats);
 * either way the Signal sessions are the LID ones once the LID is known ({@link LidSessions}), so both forms reach
 * one person on one session. A 463 refusal issues our privacy token and tries once more.
 *
 * <p>The message id is the caller's, fixed before the first try, so a resend after a failure or a crash is the same
 * message to WhatsApp (the peer de-duplicates it). Sends of one device are encrypted and written one at a time,
 * in call order; their acks are awaited outside that turn, so a device's next send does not wait out the server's
 * round trip for the one before it.
 */
final class Sending {

    private static final System.Logger LOG = System.getLogger(Sending.class.getName());
    /** The ack error for a 1:1 message without the privacy token the recipient requires (protocol.md §1.14). */
    private static final int MISSING_TOKEN = 463;

    private final UUID deviceId;
    private final SignalStateStore signal;
    private final DeviceState device;
    private final IqSender iq;
    private final Inbox.Sender sender;
    private final DeviceLists deviceLists;
    private final PrivacyTokens tokens;
    private final RetryAnswers retries;
    private final SecureRandom random;
    private final Duration timeout;
    private final Map<String, CompletableFuture<Node>> acks = new ConcurrentHashMap<>();
    private final ReentrantLock oneAtATime = new ReentrantLock(true);

    Sending(UUID deviceId, SignalStateStore signal, DeviceState device, IqSender iq, Inbox.Sender sender,
            DeviceLists deviceLists, PrivacyTokens tokens, RetryAnswers retries,
            SecureRandom random, Duration timeout) {
        this.deviceId = deviceId;
        this.signal = signal;
        this.device = device;
        this.iq = iq;
        this.sender = sender;
        this.deviceLists = deviceLists;
        this.tokens = tokens;
        this.retries = retries;
        this.random = random;
        this.timeout = timeout;
    }

    void register(NodeHandlers handlers) {
        handlers.on("ack", this::onAck);
    }

    /**
     * Sends the text to its recipient (a phone number in digits, a PN JID or an {@code @lid} JID) under its
     * message id. Completes with what the server accepted, or fails with a {@link SendFailedException}
     * (unknown number, no device with keys, an ack with an error), an {@link IllegalArgumentException} for
     * malformed input, an {@link IllegalStateException} when the device is not linked, or the I/O or timeout
     * failure that kept the stanza or its ack from crossing.
     */
    CompletableFuture<SentMessage> sendText(OutgoingText outgoing) {
        CompletableFuture<SentMessage> result = new CompletableFuture<>();
        Thread.ofVirtual().name("wa-send").start(() -> {
            try {
                result.complete(send(outgoing));
            } catch (Throwable e) {
                result.completeExceptionally(e instanceof CompletionException || e instanceof ExecutionException
                        ? e.getCause() : e);
            }
        });
        return result;
    }

    /**
     * Sends a protocol message to our own primary device (device 0 of our account) as a peer message: one
     * {@code <enc>} in {@code <message to=<our number> type=text category=peer push_priority=high_force>}
     * (whatsmeow send.go sendPeerMessage), with our signed identity when it starts a session. Completes when the
     * server acked it; fails like {@link #sendText}. App-state sync asks the phone for keys this way.
     */
    CompletableFuture<Void> sendToOwnPhone(E2e.ProtocolMessage protocol, String messageId) {
        return inTurn(() -> {
            DeviceAccount account = device.account()
                    .orElseThrow(() -> new IllegalStateException("the device is not linked to an account"));
            Jid self = Jid.parse(account.jid()).orElseThrow();
            Jid phone = Jid.device(self.user(), 0, self.server());
            Map<Jid, byte[]> plaintexts = Map.of(phone, E2e.Message.newBuilder().setProtocolMessage(protocol).build()
                    .toByteArray());
            Map<Jid, PreKeyBundle> bundles = fetchBundles(withoutSession(plaintexts.keySet()));
            List<Node> copies = new ArrayList<>();
            int[] counts = signal.inTransaction(deviceId, unit -> {
                copies.clear();
                return encrypt(unit, plaintexts, bundles, copies);
            });
            if (copies.isEmpty()) {
                throw new SendFailedException("our own phone has published no keys");
            }
            List<Node> content = new ArrayList<>(List.of(copies.getFirst().child("enc").orElseThrow()));
            if (counts[1] > 0) {
                content.add(Node.withBytes("device-identity", Map.of(), account.signedIdentity()));
            }
            Node ack = sendAndAwaitAck(Node.withChildren("message", Node.attrs("id", messageId, "to",
                    phone.toString(), "type", "text", "category", "peer", "push_priority", "high_force"), content),
                    messageId);
            Optional<String> error = ack.attribute("error");
            if (error.isPresent()) {
                throw refused(messageId, error.get());
            }
            return null;
        });
    }

    /** Runs {@code work} on its own thread in this device's turn, one send at a time (group sends use it too). */
    <T> CompletableFuture<T> inTurn(java.util.concurrent.Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofVirtual().name("wa-send").start(() -> {
            oneAtATime.lock();
            try {
                result.complete(work.call());
            } catch (Throwable e) {
                result.completeExceptionally(e instanceof CompletionException || e instanceof ExecutionException
                        ? e.getCause() : e);
            } finally {
                oneAtATime.unlock();
            }
        });
        return result;
    }

    /**
     * Sends a {@code message} stanza and waits for the server's {@code <ack class=message id>}; the ack, whatever
     * it says, or a {@link TimeoutException}.
     */
    Node sendAndAwaitAck(Node stanza, String messageId) throws Exception {
        CompletableFuture<Node> ack = new CompletableFuture<>();
        acks.put(messageId, ack);
        try {
            sender.send(stanza);
            return ack.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException("the server did not acknowledge message " + messageId + " within " + timeout);
        } finally {
            acks.remove(messageId, ack);
        }
    }

    /**
     * One try, and a second one when the server refused the first for a missing privacy token (463) and issuing our
     * token to the recipient went through ({@link PrivacyTokens}).
     */
    private SentMessage send(OutgoingText outgoing) throws Exception {
        try {
            return acked(attemptInTurn(outgoing));
        } catch (SendFailedException e) {
            if (e.code().orElse(0) != MISSING_TOKEN) {
                throw e;
            }
            Jid chat = recipient(outgoing.to());
            LOG.log(System.Logger.Level.INFO, "message {0} needs a privacy token: issuing ours and trying once more",
                    outgoing.messageId());
            await(tokens.issue(chat));
            return acked(attemptInTurn(outgoing));
        }
    }

    /** One attempt in this device's turn: encrypted, committed and written; its ack is awaited after the turn. */
    private Written attemptInTurn(OutgoingText outgoing) throws Exception {
        oneAtATime.lock();
        try {
            return attempt(outgoing);
        } finally {
            oneAtATime.unlock();
        }
    }

    private Written attempt(OutgoingText outgoing) throws Exception {
        String to = outgoing.to();
        String messageId = outgoing.messageId();
        if (messageId == null || messageId.isBlank()) {
            throw new IllegalArgumentException("a message id is required");
        }
        if (!outgoing.hasContent()) {
            throw new IllegalArgumentException("the text is empty");
        }
        DeviceAccount account = device.account()
                .orElseThrow(() -> new IllegalStateException("the device is not linked to an account"));
        Jid self = Jid.parse(account.jid()).orElseThrow();
        Jid chat = recipient(to);
        Optional<Jid> ownLid = Optional.ofNullable(account.lid()).flatMap(Jid::parse);
        // our own devices are named in the chat's form: the LID ones in a LID-addressed chat
        Jid ownUser = chat.server().equals(Jid.LID_SERVER) && ownLid.isPresent()
                ? Jid.device(ownLid.get().user(), 0, Jid.LID_SERVER) : Jid.device(self.user(), 0, self.server());
        if (chat.user().equals(self.user()) || ownLid.filter(lid -> lid.user().equals(chat.user())).isPresent()) {
            throw new IllegalArgumentException("messages to our own account are not supported yet");
        }

        Map<Jid, DeviceLists.Devices> lists = await(deviceLists.devices(List.of(chat, ownUser)));
        List<Jid> theirs = lists.get(chat).jids();
        if (theirs.isEmpty()) {
            throw new SendFailedException(chat.user() + " is not on WhatsApp");
        }
        List<Jid> ours = lists.get(ownUser).jids().stream().filter(jid -> jid.device() != self.device()).toList();

        E2e.Message message = outgoing.content();
        byte[] forThem = message.toByteArray();
        byte[] forUs = E2e.Message.newBuilder().setDeviceSentMessage(E2e.DeviceSentMessage.newBuilder()
                .setDestinationJid(chat.toString()).setMessage(message)).build().toByteArray();
        Map<Jid, byte[]> plaintexts = new LinkedHashMap<>();
        theirs.forEach(jid -> plaintexts.put(jid, forThem));
        ours.forEach(jid -> plaintexts.put(jid, forUs));

        Map<Jid, PreKeyBundle> bundles = fetchBundles(withoutSession(plaintexts.keySet()));
        List<Node> participants = new ArrayList<>();
        int[] counts = signal.inTransaction(deviceId, unit -> {
            participants.clear();
            return encrypt(unit, plaintexts, bundles, participants);
        });
        int newSessions = counts[0];
        int preKeyMessages = counts[1];
        boolean reachesThem = participants.stream().map(copy -> copy.attributeOr("jid", "")).flatMap(
                jid -> Jid.parse(jid).stream()).anyMatch(jid -> jid.user().equals(chat.user()));
        if (!reachesThem) {
            // nothing is sent, so the ratchet steps committed for our own devices are only skipped counters
            throw new SendFailedException("no device of " + chat.user() + " has published keys");
        }

        List<Node> content = new ArrayList<>(List.of(Node.withChildren("participants", Map.of(), participants)));
        if (preKeyMessages > 0) {
            content.add(Node.withBytes("device-identity", Map.of(), account.signedIdentity()));
        }
        tokens.tokenFor(chat).ifPresent(content::add);
        // kept before it goes out: a device that cannot decrypt its copy asks for it again at once
        retries.keep(messageId, chat, message);
        content.addAll(StanzaKinds.extraNodes(message));
        var attrs = Node.attrs("id", messageId, "to", chat.toString(), "type", StanzaKinds.type(message));
        attrs.putAll(StanzaKinds.extraAttrs(message));
        Node stanza = Node.withChildren("message", attrs, content);
        CompletableFuture<Node> ack = new CompletableFuture<>();
        acks.put(messageId, ack);
        try {
            sender.send(stanza);
        } catch (Exception e) {
            acks.remove(messageId, ack);
            throw e;
        }
        List<String> devices = participants.stream().map(node -> node.attributeOr("jid", "")).toList();
        return new Written(messageId, chat, devices, newSessions, preKeyMessages, ack);
    }

    /** A message stanza on the wire, its server's ack still to come. */
    private record Written(String messageId, Jid chat, List<String> devices, int newSessions, int preKeyMessages,
                           CompletableFuture<Node> ack) {}

    /** Waits for the server's ack of {@code written}: what it accepted, or the refusal or timeout. */
    private SentMessage acked(Written written) throws Exception {
        String messageId = written.messageId();
        Node answer;
        try {
            answer = written.ack().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException("the server did not acknowledge message " + messageId + " within " + timeout);
        } finally {
            acks.remove(messageId, written.ack());
        }
        Optional<String> error = answer.attribute("error");
        if (error.isPresent()) {
            throw refused(messageId, error.get());
        }
        Instant t = Instant.ofEpochSecond(parseLong(answer.attributeOr("t", "0")));
        return new SentMessage(messageId, written.chat().toString(), t, written.devices(), written.newSessions(),
                written.preKeyMessages());
    }

    /**
     * The copies for every device that has a session or got a bundle; returns how many sessions were set up and
     * how many copies are {@code pkmsg}s.
     */
    int[] encrypt(SignalTransaction unit, Map<Jid, byte[]> plaintexts, Map<Jid, PreKeyBundle> bundles,
            List<Node> participants) throws SignalException {
        SessionCipher cipher = new SessionCipher(unit, random);
        int newSessions = 0;
        int preKeyMessages = 0;
        for (Map.Entry<Jid, byte[]> entry : plaintexts.entrySet()) {
            SignalAddress address = SignalAddress.of(entry.getKey());
            if (unit.session(address).isEmpty()) {
                PreKeyBundle bundle = bundles.get(entry.getKey());
                if (bundle == null) {
                    continue; // a device without keys on the server cannot be reached, as WhatsApp skips it
                }
                cipher.process(address, bundle);
                newSessions++;
            }
            Encrypted encrypted = cipher.encrypt(address, Padding.pad(entry.getValue(), random));
            if (encrypted.type() == MessageType.PKMSG) {
                preKeyMessages++;
            }
            participants.add(Node.withChildren("to", Node.attrs("jid", entry.getKey().toString()), List.of(
                    Node.withBytes("enc", Node.attrs("v", "2", "type", encrypted.type().wireName()),
                            encrypted.body()))));
        }
        return new int[] {newSessions, preKeyMessages};
    }

    /** The devices we have no session with (read on a unit that is never committed, so it leaves no trace). */
    List<Jid> withoutSession(Iterable<Jid> devices) {
        SignalTransaction look = signal.begin(deviceId);
        List<Jid> missing = new ArrayList<>();
        for (Jid jid : devices) {
            if (look.session(SignalAddress.of(jid)).isEmpty()) {
                missing.add(jid);
            }
        }
        return missing;
    }

    /**
     * One {@code <iq xmlns=encrypt type=get><key><user jid/>…</key></iq>} for all the devices; a device the server
     * has no keys for ({@code <user><error/></user>}) is left out.
     */
    Map<Jid, PreKeyBundle> fetchBundles(List<Jid> devices) throws Exception {
        Map<Jid, PreKeyBundle> bundles = new HashMap<>();
        if (devices.isEmpty()) {
            return bundles;
        }
        List<Node> users = devices.stream().map(jid -> Node.of("user", Node.attrs("jid", jid.toString()))).toList();
        Node answer = await(iq.sendIq("encrypt", "get", List.of(Node.withChildren("key", Map.of(), users))));
        Map<String, Jid> asked = new HashMap<>();
        devices.forEach(jid -> asked.put(jid.toString(), jid));
        for (Node user : answer.child("list").map(Node::children).orElse(List.of())) {
            Jid jid = Jid.parse(user.attributeOr("jid", "")).map(j -> asked.get(j.toString())).orElse(null);
            if (jid == null || user.child("error").isPresent()) {
                LOG.log(System.Logger.Level.DEBUG, "no prekey bundle for {0}", user.attributeOr("jid", ""));
                continue;
            }
            try {
                bundles.put(jid, bundle(user));
            } catch (RuntimeException | SignalException e) {
                LOG.log(System.Logger.Level.WARNING, "an unusable prekey bundle for " + jid, e);
            }
        }
        return bundles;
    }

    /**
     * A bundle from {@code <user><registration>4B</registration><type>05</type><identity>32B</identity>
     * [<key><id>3B</id><value>32B</value></key>]<skey><id/><value/><signature>64B</signature></skey></user>}
     * (whatsmeow prekeys.go {@code nodeToPreKeyBundle}).
     */
    static PreKeyBundle bundle(Node user) throws SignalException {
        int registration = number(bytes(user, "registration"));
        IdentityKey identity = new IdentityKey(identityBytes(bytes(user, "identity")));
        Node skey = user.child("skey").orElseThrow(() -> new IllegalArgumentException("a bundle without skey"));
        int signedId = number(bytes(skey, "id"));
        byte[] signed = bytes(skey, "value");
        byte[] signature = bytes(skey, "signature");
        Optional<Node> key = user.child("key");
        if (key.isEmpty()) {
            return PreKeyBundle.withoutPreKey(registration, identity, signedId, signed, signature);
        }
        return new PreKeyBundle(registration, identity, signedId, signed, signature,
                OptionalInt.of(number(bytes(key.get(), "id"))), bytes(key.get(), "value"));
    }

    private static byte[] identityBytes(byte[] raw) throws SignalException {
        return raw.length == 33 ? IdentityKey.parse(raw).publicKey() : raw;
    }

    private static byte[] bytes(Node parent, String tag) {
        return parent.child(tag).flatMap(Node::bytes)
                .orElseThrow(() -> new IllegalArgumentException("a bundle without " + tag));
    }

    private void onAck(Node ack) {
        if (!ack.attributeOr("class", "").equals("message")) {
            return;
        }
        CompletableFuture<Node> waiting = acks.get(ack.attributeOr("id", ""));
        if (waiting != null) {
            waiting.complete(ack);
        }
    }

    static SendFailedException refused(String id, String error) {
        String meaning = switch (error) {
            case "479" -> " (smax-invalid: the server's validation refused the stanza)";
            case "463" -> " (a privacy token is missing or expired)";
            case "421" -> " (the recipient's device list changed)";
            default -> "";
        };
        String reason = "the server refused message " + id + " with error " + error + meaning;
        try {
            return new SendFailedException(reason, Integer.parseInt(error));
        } catch (NumberFormatException e) {
            return new SendFailedException(reason);
        }
    }

    /** A phone number (digits, with or without {@code +} and separators), a PN JID or an {@code @lid} JID. */
    private static Jid recipient(String to) {
        if (to == null || to.isBlank()) {
            throw new IllegalArgumentException("the recipient is empty");
        }
        if (to.contains("@")) {
            Jid jid = Jid.parse(to.trim()).filter(j -> j.server().equals(Jid.USER_SERVER)
                    || j.server().equals(Jid.LID_SERVER)).filter(j -> !j.user().isEmpty())
                    .orElseThrow(() -> new IllegalArgumentException("not a user JID: " + to));
            return Jid.device(jid.user(), 0, jid.server());
        }
        String digits = to.replaceAll("[\\s+()\\-.]", "");
        if (!digits.matches("[0-9]{5,20}")) {
            throw new IllegalArgumentException("not a phone number: " + to);
        }
        return Jid.device(digits, 0, Jid.USER_SERVER);
    }

    <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static int number(byte[] bigEndian) {
        int value = 0;
        for (byte b : bigEndian) {
            value = (value << 8) | (b & 0xff);
        }
        return value;
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
