package ponte.adapters.whatsapp.sandbox;

import com.google.protobuf.InvalidProtocolBufferException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.crypto.XEdDsa;
import ponte.adapters.whatsapp.proto.E2e;
import ponte.adapters.whatsapp.sandbox.store.KeyBundle;
import ponte.adapters.whatsapp.sandbox.store.SandboxMessageStore;
import ponte.adapters.whatsapp.sandbox.store.VirtualPhone;
import ponte.adapters.whatsapp.signal.Encrypted;
import ponte.adapters.whatsapp.signal.IdentityKey;
import ponte.adapters.whatsapp.signal.MessageType;
import ponte.adapters.whatsapp.signal.Padding;
import ponte.adapters.whatsapp.signal.PreKeyBundle;
import ponte.adapters.whatsapp.signal.SessionCipher;
import ponte.adapters.whatsapp.signal.SignalAddress;
import ponte.adapters.whatsapp.signal.SignalException;

/**
 * A virtual phone's primary device (device 0 of its account) as a real Signal party: its identity is the account
 * key that signs its companions (as on WhatsApp, where the primary's identity is the ADV account key), it publishes
 * a signed prekey and one-time prekeys to the server's directory, encrypts what it sends for every device of the
 * recipient and, as a DeviceSentMessage, for its own companions, and decrypts what it receives. Its Signal state
 * is kept in the sandbox's database ({@link PhoneSignalStore}); the one-time prekeys not yet handed out and the
 * lists of received messages and receipts live in memory only.
 */
final class PhoneDevice {

    private static final int SIGNED_PRE_KEY_ID = 1;
    private static final int PRE_KEY_BATCH = 50;
    private static final String SIGNATURE = "signed-prekey-signature";
    private static final int KEPT_SENT = 256;
    /** Retry receipts a receiver sends for one message before it gives up (protocol.md §1.15). */
    private static final int MAX_RETRIES = 5;
    private static final String NEXT_PRE_KEY = "next-prekey";

    private final VirtualPhone account;
    private final VirtualPhones phones;
    private final MessageRouter router;
    private final Clock clock;
    private final SecureRandom random;
    private final PhoneSignalStore signal;
    private final SessionCipher cipher;
    private final PhoneGroups groups;
    private final KeyPair signedPreKey;
    private final byte[] signedPreKeySignature;
    private final TreeMap<Integer, KeyPair> unpublished = new TreeMap<>();
    private final List<ReceivedMessage> received = new CopyOnWriteArrayList<>();
    private final List<SeenReceipt> receipts = new CopyOnWriteArrayList<>();
    private final List<SeenSignal> signals = new CopyOnWriteArrayList<>();
    private final PhoneHistory history = new PhoneHistory();
    private final PhoneMedia media;
    /** Whether the history goes as media blobs ({@code md-msg-hist}) instead of inline payloads. */
    private volatile boolean historyAsBlobs;
    /** Polls received, by message id (in memory, as the received lists). */
    private final Map<String, PhonePoll> polls = new java.util.concurrent.ConcurrentHashMap<>();
    /** Retry receipts sent so far, by message id, for messages this phone could not decrypt yet. */
    private final Map<String, Integer> retries = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > KEPT_SENT;
        }
    };
    /** What this phone sent, by message id, so that a device's retry receipt can be answered (newest kept). */
    private final Map<String, Sent> sent = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Sent> eldest) {
            return size() > KEPT_SENT;
        }
    };

    PhoneDevice(VirtualPhone account, VirtualPhones phones, MessageRouter router, SandboxMessageStore store,
            Clock clock, SecureRandom random) {
        this.account = account;
        this.phones = phones;
        this.router = router;
        this.clock = clock;
        this.random = random;
        this.signal = new PhoneSignalStore(store, account.phone(), account.identity(), random,
                phones::lidOf, phones::phoneOfLid);
        this.cipher = new SessionCipher(signal, random);
        this.groups = new PhoneGroups(account, phones, router, signal, cipher, random, received::add);
        this.media = new PhoneMedia(account, router, phones.media(), random);
        Optional<KeyPair> kept = signal.signedPreKey(SIGNED_PRE_KEY_ID);
        Optional<byte[]> keptSignature = signal.bytes(SIGNATURE);
        if (kept.isPresent() && keptSignature.isPresent()) {
            this.signedPreKey = kept.get();
            this.signedPreKeySignature = keptSignature.get();
        } else {
            this.signedPreKey = KeyPair.generate(random);
            this.signedPreKeySignature = XEdDsa.sign(account.identity().privateKey(),
                    new IdentityKey(signedPreKey.publicKey()).serialize(), random);
            signal.addSignedPreKey(SIGNED_PRE_KEY_ID, signedPreKey);
            signal.saveBytes(SIGNATURE, signedPreKeySignature);
        }
    }

    Jid jid() {
        return Jid.device(account.phone(), 0, Jid.USER_SERVER);
    }

    /** From now on, history chunks go as media blobs (true) or inline (false, the default). */
    void historyAsBlobs(boolean blobs) {
        this.historyAsBlobs = blobs;
    }

    /** The phone's media: uploads, downloads and media retry. */
    PhoneMedia media() {
        return media;
    }

    /** The bundle a peer fetches, handing out one fresh one-time prekey (the phone tops itself up, never runs dry). */
    KeyBundle takeBundle() {
        synchronized (unpublished) {
            return takeBundleLocked();
        }
    }

    private KeyBundle takeBundleLocked() {
        if (unpublished.isEmpty()) {
            // ids continue across restarts, so a peer holding an old bundle never meets a reused id
            int next = signal.number(NEXT_PRE_KEY, () -> 1);
            for (int i = 0; i < PRE_KEY_BATCH; i++) {
                KeyPair key = KeyPair.generate(random);
                signal.addPreKey(next, key);
                unpublished.put(next++, key);
            }
            signal.saveNumber(NEXT_PRE_KEY, next);
        }
        Map.Entry<Integer, KeyPair> taken = unpublished.pollFirstEntry();
        return new KeyBundle(signal.registrationId(), account.identity().publicKey(), SIGNED_PRE_KEY_ID,
                signedPreKey.publicKey(), signedPreKeySignature,
                Optional.of(new KeyBundle.OneTimeKey(taken.getKey(), taken.getValue().publicKey())),
                unpublished.size());
    }

    /**
     * Sends a text to another account: one {@code <enc>} per device of the recipient and, as a DeviceSentMessage,
     * per companion of this phone, with sessions set up from fetched bundles where missing. Returns the message id.
     */
    synchronized String sendText(VirtualPhone to, String text) {
        return send(to, E2e.Message.newBuilder().setConversation(text).build(), text);
    }

    /**
     * Sends any e2e message to another account, as {@link #sendText} does a text; the stanza's {@code type},
     * {@code edit} and {@code <meta>} follow the content as WhatsApp's clients set them. A poll gets a fresh secret,
     * kept so the phone can read it back. {@code historyText} is what the phone's history shows of it.
     */
    synchronized String send(VirtualPhone to, E2e.Message message, String historyText) {
        String id = HexFormat.of().withUpperCase().formatHex(randomBytes(16));
        String chat = Jid.device(to.phone(), 0, Jid.USER_SERVER).toString();
        if (PhoneReading.poll(message).isPresent()) {
            message = message.toBuilder().setMessageContextInfo(E2e.MessageContextInfo.newBuilder()
                    .setMessageSecret(com.google.protobuf.ByteString.copyFrom(randomBytes(32)))).build();
        }
        byte[] forPeer = message.toByteArray();
        byte[] forOwn = E2e.Message.newBuilder().setDeviceSentMessage(E2e.DeviceSentMessage.newBuilder()
                .setDestinationJid(chat).setMessage(message)).build().toByteArray();
        List<Node> participants = new ArrayList<>();
        for (int device : phones.deviceIds(to)) {
            encryptFor(to, device, forPeer).ifPresent(participants::add);
        }
        for (int device : phones.deviceIds(account)) {
            if (device != 0) {
                encryptFor(account, device, forOwn).ifPresent(participants::add);
            }
        }
        if (participants.isEmpty()) {
            throw new IllegalStateException("no device of " + to.phone() + " published keys");
        }
        sent.put(id, new Sent(to, forPeer, forOwn));
        history.add(new PhoneHistory.Entry(chat, id, true, historyText, clock.instant()));
        var attrs = Node.attrs("id", id, "to", chat, "type", PhoneReading.stanzaType(message));
        PhoneReading.edit(message).ifPresent(edit -> attrs.put("edit", edit));
        var content = new ArrayList<Node>(List.of(Node.withChildren("participants", Map.of(), participants)));
        content.addAll(PhoneReading.meta(message));
        router.submit(jid(), Node.withChildren("message", attrs, content));
        return id;
    }

    /** Sends a text to a group this phone is a member of, as a sender-key party ({@link PhoneGroups}). */
    synchronized String sendGroupText(GroupRegistry.Group group, String text) {
        return groups.sendText(group, text, this::encryptFor);
    }

    /** Posts a status update to the audience's devices (numbers); returns its id. */
    synchronized String postStatus(List<String> audience, String text) {
        return groups.postStatus(audience, text, this::encryptFor);
    }

    /** A member left one of this phone's groups: its sender key there is replaced at the next send. */
    synchronized void rotateSenderKey(String groupJid) {
        groups.rotate(groupJid);
    }

    /**
     * Hands a newly linked companion ({@code device} of this account, its keys just uploaded) the phone's history, as
     * a phone does right after linking (protocol.md §1.18): protocol messages of type HISTORY_SYNC_NOTIFICATION, each
     * with an inline payload, a zlib-deflated HistorySync ({@link PhoneHistory#chunks}): the first (INITIAL_BOOTSTRAP)
     * with the push names (the account's own among them), PN↔LID mappings and an NCT salt, then the chats' messages,
     * at most {@link #HISTORY_CHUNK} a notification. Sent once: a companion this phone already has a Signal session
     * with got it before.
     */
    synchronized void sendHistoryBootstrap(int device) {
        if (device == 0 || signal.session(SignalAddress.of(account.phone(), device)).isPresent()) {
            return;
        }
        String own = Jid.device(account.phone(), 0, Jid.USER_SERVER).toString();
        List<byte[]> chunks = history.chunks(own, Optional.ofNullable(account.pushName()), this::person,
                randomBytes(32), HISTORY_CHUNK);
        for (int i = 0; i < chunks.size(); i++) {
            var notification = E2e.HistorySyncNotification.newBuilder()
                    .setSyncType(i == 0 ? E2e.HistorySyncNotification.HistorySyncType.INITIAL_BOOTSTRAP
                            : E2e.HistorySyncNotification.HistorySyncType.RECENT)
                    .setChunkOrder(i);
            if (historyAsBlobs) {
                // as WhatsApp's phones send it: the deflated chunk uploaded as an md-msg-hist blob
                var blob = media.upload(ponte.adapters.whatsapp.media.MediaType.HISTORY, chunks.get(i));
                notification.setDirectPath(blob.directPath())
                        .setMediaKey(com.google.protobuf.ByteString.copyFrom(blob.mediaKey()))
                        .setFileSha256(com.google.protobuf.ByteString.copyFrom(blob.sealed().fileSha256()))
                        .setFileEncSha256(com.google.protobuf.ByteString.copyFrom(blob.sealed().fileEncSha256()))
                        .setFileLength(blob.sealed().fileLength());
            } else {
                notification.setInitialHistBootstrapInlinePayload(com.google.protobuf.ByteString.copyFrom(
                        chunks.get(i)));
            }
            byte[] message = E2e.Message.newBuilder().setProtocolMessage(E2e.ProtocolMessage.newBuilder()
                    .setType(E2e.ProtocolMessage.Type.HISTORY_SYNC_NOTIFICATION)
                    .setHistorySyncNotification(notification))
                    .build().toByteArray();
            encryptFor(account, device, message).flatMap(to -> to.child("enc")).ifPresent(enc -> router.submit(
                    jid(), Node.withChildren("message", Node.attrs("id", HexFormat.of().withUpperCase().formatHex(
                            randomBytes(16)), "to", Jid.device(account.phone(), device, Jid.USER_SERVER).toString(),
                            "type", "text", "category", "peer", "t", Long.toString(clock.instant()
                                    .getEpochSecond())), List.of(enc))));
        }
    }

    /**
     * A protocol message from one of this phone's companions: a request for app-state keys is answered with the
     * phone's key when the request names it (as a phone does); anything else is ignored.
     */
    private void answerOwnDevice(Jid companion, E2e.ProtocolMessage protocol) {
        if (protocol.getType() != E2e.ProtocolMessage.Type.APP_STATE_SYNC_KEY_REQUEST) {
            return;
        }
        PhoneAppState state = phones.appState(account);
        boolean ours = protocol.getAppStateSyncKeyRequest().getKeyIdsList().stream()
                .anyMatch(id -> java.util.Arrays.equals(id.getKeyId().toByteArray(), state.keyId()));
        if (ours) {
            shareAppStateKey(companion.device(), state.keyId(), state.keyData(), state.keyTimestamp());
        }
    }

    /** Whether this phone has a Signal session with one of its companions (it has sent it something). */
    synchronized boolean hasSession(int device) {
        return signal.session(SignalAddress.of(account.phone(), device)).isPresent();
    }

    /**
     * Shares the phone's app-state sync key with one of its companions, as a phone does right after linking (and
     * when a companion asks for a key it lacks): a protocol message of type APP_STATE_SYNC_KEY_SHARE, Signal-encrypted
     * for that device (protocol.md §1.17).
     */
    synchronized void shareAppStateKey(int device, byte[] keyId, byte[] keyData, long timestamp) {
        byte[] message = E2e.Message.newBuilder().setProtocolMessage(E2e.ProtocolMessage.newBuilder()
                .setType(E2e.ProtocolMessage.Type.APP_STATE_SYNC_KEY_SHARE)
                .setAppStateSyncKeyShare(E2e.AppStateSyncKeyShare.newBuilder().addKeys(E2e.AppStateSyncKey
                        .newBuilder()
                        .setKeyId(E2e.AppStateSyncKeyId.newBuilder().setKeyId(
                                com.google.protobuf.ByteString.copyFrom(keyId)))
                        .setKeyData(E2e.AppStateSyncKeyData.newBuilder()
                                .setKeyData(com.google.protobuf.ByteString.copyFrom(keyData))
                                .setTimestamp(timestamp)))))
                .build().toByteArray();
        encryptFor(account, device, message).flatMap(to -> to.child("enc")).ifPresent(enc -> router.submit(jid(),
                Node.withChildren("message", Node.attrs("id", HexFormat.of().withUpperCase().formatHex(
                        randomBytes(16)), "to", Jid.device(account.phone(), device, Jid.USER_SERVER).toString(),
                        "type", "text", "category", "peer"), List.of(enc))));
    }

    private static byte[] deflate(byte[] data) {
        var deflater = new java.util.zip.Deflater();
        try {
            deflater.setInput(data);
            deflater.finish();
            var out = new java.io.ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /** Messages of the history in one notification: a few hundred kB deflated at most. */
    static final int HISTORY_CHUNK = 2_000;

    /** What the history says of a chat partner: a sandbox phone's push name and LID. */
    private PhoneHistory.Person person(String chat) {
        Optional<VirtualPhone> peer = Jid.parse(chat).flatMap(phones::account);
        return new PhoneHistory.Person(peer.map(VirtualPhone::pushName).filter(name -> !name.isBlank()),
                peer.map(p -> Jid.device(p.lid(), 0, Jid.LID_SERVER).toString()));
    }

    /**
     * Adds {@code count} texts to the phone's history over {@code chats} chats with made-up people (numbers
     * {@code 1555000xxxx}, push names "History contact n", LIDs of their own), older than now, one a minute.
     */
    void seedHistory(int count, int chats) {
        history.seed(count, chats, k -> "1555" + String.format("%07d", k + 1),
                chat -> new PhoneHistory.Person(Optional.of("History contact " + Jid.parse(chat).map(Jid::user)
                        .orElse(chat).substring(4).replaceFirst("^0+", "")),
                        Optional.of(Jid.device("9" + Jid.parse(chat).map(Jid::user).orElse(""), 0, Jid.LID_SERVER)
                                .toString())), clock.instant(), random);
    }

    /** Messages the phone's history holds. */
    int historySize() {
        return history.size();
    }

    /** Sends a read receipt for messages of {@code chat} (a user JID) that this phone received. */
    void markRead(Jid chat, List<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        var attrs = Node.attrs("id", ids.getFirst(), "to", chat.toString(), "type", "read",
                "t", Long.toString(clock.instant().getEpochSecond()));
        List<Node> rest = ids.stream().skip(1).map(id -> Node.of("item", Node.attrs("id", id))).toList();
        router.receipt(jid(), rest.isEmpty() ? Node.of("receipt", attrs)
                : Node.withChildren("receipt", attrs, List.of(Node.withChildren("list", Map.of(), rest))), ack -> { });
    }

    /**
     * The phone loses the sender key one device uses in a group: that device's next group message there cannot be
     * decrypted, and the phone asks for it again with a group retry receipt.
     */
    synchronized void forgetSenderKey(String groupJid, Jid device) {
        signal.removeSenderKey(new ponte.adapters.whatsapp.signal.SenderKeyName(groupJid, SignalAddress.of(device)));
    }

    /**
     * The phone loses its Signal session with one device: what that device sends next on it cannot be decrypted,
     * and the phone asks for it again with retry receipts (keys for a new session from the second try on).
     */
    synchronized void forgetSession(Jid device) {
        signal.removeSession(SignalAddress.of(device));
    }

    List<ReceivedMessage> received() {
        return List.copyOf(received);
    }

    List<SeenReceipt> receipts() {
        return List.copyOf(receipts);
    }

    /** The call signals and chat states this device was sent, oldest first. */
    List<SeenSignal> signals() {
        return List.copyOf(signals);
    }

    /** A stanza the server delivers to this device: decrypted and receipted, or recorded and acked. */
    synchronized void deliver(Node stanza) {
        String id = stanza.attributeOr("id", "");
        Instant t = Instant.ofEpochSecond(Long.parseLong(stanza.attributeOr("t", "0")));
        String from = stanza.attributeOr("from", "");
        if (stanza.tag().equals("receipt")) {
            String type = stanza.attributeOr("type", "");
            if (type.equals("retry")) {
                answerRetry(stanza);
            } else if (type.equals("server-error")) {
                media.answerRetry(stanza);
            }
            // a status update's receipt names its viewer as participant: that device is who sent it
            String by = from.equals(PhoneGroups.STATUS_BROADCAST) ? stanza.attributeOr("participant", from) : from;
            receipts.add(new SeenReceipt(id, by, type, t));
            stanza.child("list").ifPresent(list -> list.children().forEach(
                    item -> receipts.add(new SeenReceipt(item.attributeOr("id", ""), by, type, t))));
            router.acked(jid(), Node.of("ack", type.isEmpty()
                    ? Node.attrs("id", id, "class", "receipt", "to", from)
                    : Node.attrs("id", id, "class", "receipt", "to", from, "type", type)));
            return;
        }
        if (stanza.tag().equals("call")) {
            stanza.children().forEach(signal -> signals.add(new SeenSignal("call", signal.tag(),
                    signal.attributeOr("call-id", ""), from, clock.instant())));
            router.acked(jid(), Node.of("ack", Node.attrs("id", id, "class", "call", "to", from)));
            return;
        }
        if (stanza.tag().equals("chatstate")) {
            stanza.children().stream().findFirst().ifPresent(state -> signals.add(new SeenSignal("chatstate",
                    state.tag().equals("composing") && state.attributeOr("media", "").equals("audio") ? "recording"
                            : state.tag(), "", from, clock.instant())));
            return;
        }
        if (stanza.tag().equals("notification")) {
            if (stanza.attributeOr("type", "").equals("mediaretry")) {
                media.onRetryAnswer(stanza);
            }
            router.acked(jid(), Node.of("ack", Node.attrs("id", id, "class", "notification", "to", from,
                    "type", stanza.attributeOr("type", ""))));
            return;
        }
        if (!stanza.tag().equals("message")) {
            return;
        }
        if (from.endsWith("@" + GroupRegistry.GROUP_SERVER) || from.equals(PhoneGroups.STATUS_BROADCAST)) {
            if (groups.deliver(stanza)) {
                retries.remove(id);
            } else {
                // a missing sender key (or session): ask the author's device for it again, as for a 1:1 message
                askForRetry(stanza, Optional.empty());
                router.acked(jid(), Node.of("ack", Node.attrs("id", id, "class", "message", "to", from,
                        "error", "500")));
            }
            return;
        }
        Jid sender = Jid.parse(from).orElseThrow();
        Optional<E2e.Message> decrypted = Optional.empty();
        for (Node enc : stanza.children()) {
            if (enc.tag().equals("enc") && decrypted.isEmpty()) {
                decrypted = decrypt(sender, enc);
            }
        }
        Optional<String> recipient = stanza.attribute("recipient");
        if (decrypted.isEmpty()) {
            askForRetry(stanza, recipient);
            router.acked(jid(), Node.of("ack", Node.attrs("id", id, "class", "message", "to", from, "error", "500")));
            return;
        }
        retries.remove(id);
        E2e.Message message = decrypted.get();
        if (message.hasProtocolMessage() && sender.user().equals(account.phone())) {
            answerOwnDevice(sender, message.getProtocolMessage());
            router.receipt(jid(), Node.of("receipt", Node.attrs("id", id, "to", from, "type", "peer_msg")),
                    ack -> { });
            return;
        }
        boolean sentByMe = message.hasDeviceSentMessage();
        String chat = sentByMe ? message.getDeviceSentMessage().getDestinationJid()
                : Jid.device(sender.user(), 0, sender.server()).toString();
        E2e.Message content = sentByMe ? message.getDeviceSentMessage().getMessage() : message;
        String text = content.hasConversation() ? content.getConversation()
                : content.getExtendedTextMessage().getText();
        PhoneMedia.fileOf(content).ifPresent(file -> media.received(id, Jid.device(sender.user(), 0,
                sender.server()).toString().replace(":0@", "@"), file));
        var body = PhoneReading.body(content);
        PhoneReading.poll(content).ifPresent(poll -> polls.put(id, new PhonePoll(
                content.getMessageContextInfo().getMessageSecret().toByteArray(),
                Jid.device(sender.user(), 0, sender.server()).toString().replace(":0@", "@"),
                poll.getOptionsList().stream().map(E2e.PollCreationMessage.Option::getOptionName).toList())));
        received.add(new ReceivedMessage(id, Jid.device(sender.user(), 0, sender.server()).toString(), from, chat,
                sentByMe, text, t, body, PhoneReading.replyTo(content)));
        Jid.parse(chat).filter(jid -> jid.server().equals(Jid.USER_SERVER)).ifPresent(jid -> history.add(
                new PhoneHistory.Entry(Jid.device(jid.user(), 0, Jid.USER_SERVER).toString(), id, sentByMe, text,
                        t)));
        var attrs = recipient.isPresent()
                ? Node.attrs("id", id, "to", recipient.get(), "participant", from, "type", "sender")
                : Node.attrs("id", id, "to", Jid.device(sender.user(), 0, sender.server()).toString());
        router.receipt(jid(), Node.of("receipt", attrs), ack -> { });
    }

    /**
     * This phone could not decrypt a message: it asks the sending device to send it again, with its registration id
     * and, from the second try on, a fresh prekey bundle for a new session; after five tries it gives up.
     */
    private void askForRetry(Node stanza, Optional<String> recipient) {
        String id = stanza.attributeOr("id", "");
        int count = retries.merge(id, 1, Integer::sum);
        if (count > MAX_RETRIES) {
            return;
        }
        List<Node> content = new ArrayList<>(List.of(
                Node.of("retry", Node.attrs("count", Integer.toString(count), "id", id,
                        "t", stanza.attributeOr("t", ""), "v", "1")),
                Node.withBytes("registration", Map.of(), fourBytes(signal.registrationId()))));
        if (count > 1) {
            KeyBundle bundle = takeBundle();
            KeyBundle.OneTimeKey preKey = bundle.preKey().orElseThrow();
            content.add(Node.withChildren("keys", Map.of(), List.of(
                    Node.withBytes("type", Map.of(), new byte[] {5}),
                    Node.withBytes("identity", Map.of(), bundle.identity()),
                    Node.withChildren("key", Map.of(), List.of(
                            Node.withBytes("id", Map.of(), threeBytes(preKey.id())),
                            Node.withBytes("value", Map.of(), preKey.publicKey()))),
                    Node.withChildren("skey", Map.of(), List.of(
                            Node.withBytes("id", Map.of(), threeBytes(bundle.signedPreKeyId())),
                            Node.withBytes("value", Map.of(), bundle.signedPreKey()),
                            Node.withBytes("signature", Map.of(), bundle.signedPreKeySignature()))))));
        }
        var attrs = Node.attrs("id", id, "type", "retry", "to", stanza.attributeOr("from", ""));
        recipient.ifPresent(jid -> attrs.put("recipient", jid));
        stanza.attribute("participant").ifPresent(author -> attrs.put("participant", author));
        router.receipt(jid(), Node.withChildren("receipt", attrs, content), ack -> { });
    }

    private static byte[] fourBytes(int value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    private static byte[] threeBytes(int value) {
        return new byte[] {(byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    /**
     * A device could not decrypt one of this phone's messages: encrypt it again for that device alone, on a new
     * session from the keys the receipt carries (sent from the second try on) or on the current one, with the
     * retry's {@code count} on the {@code <enc>} (protocol.md §1.15).
     */
    private void answerRetry(Node receipt) {
        Sent kept = sent.get(receipt.attributeOr("id", ""));
        Optional<Jid> device = Jid.parse(receipt.attributeOr("from", "")).flatMap(phones::account)
                .flatMap(owner -> Jid.parse(receipt.attributeOr("from", ""))
                        .map(jid -> Jid.device(owner.phone(), jid.device(), Jid.USER_SERVER)));
        if (kept == null || device.isEmpty()) {
            return;
        }
        boolean own = device.get().user().equals(account.phone());
        if (!own && !device.get().user().equals(kept.to().phone())) {
            return;
        }
        SignalAddress address = SignalAddress.of(device.get());
        try {
            Optional<Node> keys = receipt.child("keys");
            if (keys.isPresent()) {
                cipher.process(address, retryBundle(receipt, keys.get()));
            }
            Optional<Node> enc = encryptFor(own ? account : kept.to(), device.get().device(),
                    own ? kept.forOwn() : kept.forPeer());
            String count = receipt.child("retry").map(retry -> retry.attributeOr("count", "1")).orElse("1");
            enc.flatMap(to -> to.child("enc")).ifPresent(body -> {
                var attrs = new LinkedHashMap<>(body.attributes());
                attrs.put("count", count);
                router.submit(jid(), Node.withChildren("message", Node.attrs("id", receipt.attributeOr("id", ""),
                        "to", device.get().toString(), "type", "text"),
                        List.of(Node.withBytes("enc", attrs, body.bytes().orElseThrow()))));
            });
        } catch (SignalException | IllegalArgumentException | IllegalStateException e) {
            // keys that do not verify or a device without keys: nothing to send, as a phone would give up
        }
    }

    private static PreKeyBundle retryBundle(Node receipt, Node keys) {
        byte[] registration = receipt.child("registration").flatMap(Node::bytes).orElse(new byte[4]);
        Node skey = keys.child("skey").orElseThrow(() -> new IllegalArgumentException("retry keys without skey"));
        Optional<Node> key = keys.child("key");
        IdentityKey identity = new IdentityKey(keys.child("identity").flatMap(Node::bytes).orElseThrow());
        int signedId = number(skey.child("id").flatMap(Node::bytes).orElseThrow());
        byte[] signed = skey.child("value").flatMap(Node::bytes).orElseThrow();
        byte[] signature = skey.child("signature").flatMap(Node::bytes).orElseThrow();
        if (key.isEmpty()) {
            return PreKeyBundle.withoutPreKey(number(registration), identity, signedId, signed, signature);
        }
        return new PreKeyBundle(number(registration), identity, signedId, signed, signature,
                OptionalInt.of(number(key.get().child("id").flatMap(Node::bytes).orElseThrow())),
                key.get().child("value").flatMap(Node::bytes).orElseThrow());
    }

    private static int number(byte[] bigEndian) {
        int value = 0;
        for (byte b : bigEndian) {
            value = (value << 8) | (b & 0xff);
        }
        return value;
    }

    private Optional<E2e.Message> decrypt(Jid sender, Node enc) {
        try {
            MessageType type = MessageType.fromWire(enc.attributeOr("type", ""));
            if (type == MessageType.SKMSG) {
                return Optional.empty();
            }
            byte[] plaintext = cipher.decrypt(SignalAddress.of(sender), type, enc.bytes().orElse(new byte[0]))
                    .plaintext();
            return Optional.of(E2e.Message.parseFrom(Padding.unpad(plaintext)));
        } catch (SignalException | InvalidProtocolBufferException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Optional<Node> encryptFor(VirtualPhone owner, int device, byte[] plaintext) {
        SignalAddress address = SignalAddress.of(owner.phone(), device);
        try {
            if (signal.session(address).isEmpty()) {
                Optional<KeyBundle> bundle = phones.takeBundle(owner.phone(), device);
                if (bundle.isEmpty()) {
                    return Optional.empty();
                }
                cipher.process(address, signalBundle(bundle.get()));
            }
            Encrypted encrypted = cipher.encrypt(address, Padding.pad(plaintext, random));
            return Optional.of(Node.withChildren("to",
                    Node.attrs("jid", Jid.device(owner.phone(), device, Jid.USER_SERVER).toString()),
                    List.of(Node.withBytes("enc", Node.attrs("v", "2", "type", encrypted.type().wireName()),
                            encrypted.body()))));
        } catch (SignalException e) {
            throw new IllegalStateException("cannot encrypt for " + address + ": " + e.getMessage(), e);
        }
    }

    private static PreKeyBundle signalBundle(KeyBundle bundle) {
        IdentityKey identity = new IdentityKey(bundle.identity());
        if (bundle.preKey().isEmpty()) {
            return PreKeyBundle.withoutPreKey(bundle.registrationId(), identity, bundle.signedPreKeyId(),
                    bundle.signedPreKey(), bundle.signedPreKeySignature());
        }
        return new PreKeyBundle(bundle.registrationId(), identity, bundle.signedPreKeyId(), bundle.signedPreKey(),
                bundle.signedPreKeySignature(), OptionalInt.of(bundle.preKey().get().id()),
                bundle.preKey().get().publicKey());
    }

    /** A message this phone sent: its recipient and the plaintexts for the recipient's and its own devices. */
    /** A poll this phone received: its secret, creator (account JID) and options, for its user's votes. */
    private record PhonePoll(byte[] secret, String creator, List<String> options) {}

    /**
     * The phone's user votes on a poll it received from {@code to}: the chosen options, sealed with the poll's
     * secret ({@link PhoneReading#sealVote}). Fails with {@link IllegalArgumentException} for a
     * poll the phone never received or an option it does not have.
     */
    synchronized String vote(VirtualPhone to, String pollId, List<String> options) {
        PhonePoll poll = polls.get(pollId);
        if (poll == null) {
            throw new IllegalArgumentException("this phone never received poll " + pollId);
        }
        if (!poll.options().containsAll(options)) {
            throw new IllegalArgumentException("the poll's options are " + poll.options());
        }
        byte[] iv = randomBytes(12);
        String voter = account.phone() + "@" + Jid.USER_SERVER;
        byte[] payload = PhoneReading.sealVote(poll.secret(), pollId, poll.creator(), voter, iv, options);
        var update = E2e.PollUpdateMessage.newBuilder()
                .setPollCreationMessageKey(E2e.MessageKey.newBuilder().setRemoteJid(poll.creator()).setFromMe(false)
                        .setId(pollId))
                .setVote(E2e.PollEncValue.newBuilder().setEncPayload(com.google.protobuf.ByteString.copyFrom(payload))
                        .setEncIv(com.google.protobuf.ByteString.copyFrom(iv)))
                .setSenderTimestampMs(clock.millis());
        return send(to, E2e.Message.newBuilder().setPollUpdateMessage(update).build(), "");
    }

    /** Whether this phone sent the message {@code id} (a reaction's or revoke's key says so). */
    synchronized boolean sentIt(String id) {
        return sent.containsKey(id);
    }

    private record Sent(VirtualPhone to, byte[] forPeer, byte[] forOwn) {
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

}
