package ponte.adapters.whatsapp.client;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.binary.NodeDecoder;
import ponte.adapters.whatsapp.binary.NodeEncoder;
import ponte.adapters.whatsapp.proto.E2e;
import ponte.adapters.whatsapp.signal.MessageType;
import ponte.adapters.whatsapp.signal.Padding;
import ponte.adapters.whatsapp.signal.SessionCipher;
import ponte.adapters.whatsapp.signal.SignalAddress;
import ponte.adapters.whatsapp.signal.SignalException;
import ponte.adapters.whatsapp.store.DeviceAccount;
import ponte.adapters.whatsapp.store.DeviceCredentials;
import ponte.adapters.whatsapp.store.KeptMessage;
import ponte.adapters.whatsapp.store.SignalStateStore;
import ponte.domain.message.Jid;
import ponte.domain.message.Message;
import ponte.domain.message.MessageExchanged;
import ponte.domain.message.MessageId;
import ponte.domain.message.MessageStatus;
import ponte.domain.message.Sender;

/**
 * The feature that receives messages: a {@code <message from id t [participant] [recipient] notify
 * [sender_lid|sender_pn]><enc type=pkmsg|msg v=2>…</enc></message>} (protocol.md §1.15) is decrypted inside one
 * {@link SignalStateStore#inTransaction} unit that also keeps the plaintext ({@code keepMessage}), then handed to
 * the listener as a {@link CompanionEvent.MessageReceived}, marked handed on, and only then receipted
 * ({@code <receipt id to [participant] [type=sender]>}, whatsmeow receipt.go sendMessageReceipt); the inbox acks
 * after this handler returns. The {@code store.SignalTransaction} Javadoc says what a crash at each step leaves.
 *
 * <p>A stanza whose key was kept before is not decrypted again: a handed-on one is only receipted and acked (the
 * server redelivers after a lost ack), a kept but not handed-on one is handed on from its kept payload. Those a
 * crash left behind are handed on at login ({@link #drain}). A {@code pkmsg}/{@code msg}, or a group message
 * ({@link GroupMessages}: its pkmsg/msg first, then its skmsg), that cannot be decrypted is asked for again with a
 * retry receipt (keys from the second try, at most {@link #MAX_RETRIES}); after that, or without anything to
 * decrypt, it is announced as {@code received} with {@code undecryptable: true} and acked without a delivery
 * receipt. Messages without text (protocol messages, sender-key distributions alone) produce no
 * message event; the one protocol message read is our primary's history notification (protocol.md §1.18), handed to
 * {@link HistorySync}, which keeps it off the inbox and acks it once kept.
 *
 * <p>The kept payload is the stanza's attributes with one child: {@code <plaintext>} (the unpadded e2e
 * {@code Message}) or {@code <undecryptable/>}, in WhatsApp's binary XML.
 */
final class Messages {

    private static final System.Logger LOG = System.getLogger(Messages.class.getName());
    private static final int DRAIN_BATCH = 100;
    /** Retry receipts sent for one message before it is announced as undecryptable (whatsmeow retry.go). */
    static final int MAX_RETRIES = 5;

    private final UUID deviceId;
    private final SignalStateStore signal;
    private final Supplier<Optional<DeviceAccount>> account;
    private final Supplier<DeviceCredentials> credentials;
    /** Retry receipts sent per message key; in memory, so a restart starts counting again. */
    private final Map<String, Integer> retries = new ConcurrentHashMap<>();
    private final Consumer<CompanionEvent.Received> keep;
    private final HistorySync history;
    private final java.util.function.Function<Node, Runnable> deferAck;
    private final Inbox.Sender sender;
    private final LidMappings lids;
    private final java.security.SecureRandom random;
    private final Object lock = new Object();
    /** Protocol messages from our own account (app-state key shares, ...), handed over before the ack. */
    private final Consumer<E2e.ProtocolMessage> ownProtocol;
    /** Polls seen and the votes on them. */
    private final Polls polls;

    Messages(UUID deviceId, SignalStateStore signal, Supplier<Optional<DeviceAccount>> account,
            Supplier<DeviceCredentials> credentials, Consumer<CompanionEvent.Received> keep, HistorySync history,
            java.util.function.Function<Node, Runnable> deferAck, Inbox.Sender sender, LidMappings lids,
            java.security.SecureRandom random, Consumer<E2e.ProtocolMessage> ownProtocol, Polls polls) {
        this.ownProtocol = ownProtocol;
        this.polls = polls;
        this.deviceId = deviceId;
        this.signal = signal;
        this.account = account;
        this.credentials = credentials;
        this.keep = keep;
        this.history = history;
        this.deferAck = deferAck;
        this.sender = sender;
        this.lids = lids;
        this.random = random;
    }

    void register(NodeHandlers handlers) {
        handlers.on("message", this::onMessage);
    }

    /** Hands on what a crash left kept but not handed on; runs at login, beside the inbox. */
    void drain() {
        for (KeptMessage kept : signal.unhandedMessages(deviceId, DRAIN_BATCH)) {
            synchronized (lock) {
                Optional<byte[]> payload = signal.keptMessage(deviceId, kept.key()).flatMap(KeptMessage::payload);
                if (payload.isPresent()) {
                    handOn(kept.key(), NodeDecoder.decode(payload.get()), Optional.empty());
                }
            }
        }
    }

    private void onMessage(Node stanza) throws IOException {
        lids.learnFrom(stanza);
        synchronized (lock) {
            String key = key(stanza);
            Optional<KeptMessage> kept = signal.keptMessage(deviceId, key);
            if (kept.isPresent() && kept.get().handedOn()) {
                receipt(stanza);
                return;
            }
            Optional<Node> payload = kept.isPresent()
                    ? Optional.of(NodeDecoder.decode(kept.get().payload().orElseThrow()))
                    : decryptAndKeep(stanza, key);
            // empty: a retry receipt asked the sender for it again; the inbox acks this copy
            if (payload.isPresent()) {
                handOn(key, payload.get(), Optional.of(stanza));
            }
        }
    }

    /** WhatsApp's de-duplication key: chat (or sender), participant in a group, message id. */
    private static String key(Node stanza) {
        return stanza.attributeOr("from", "") + "|" + stanza.attributeOr("participant", "") + "|"
                + stanza.attributeOr("id", "");
    }

    /**
     * The kept payload; empty when a retry receipt went out instead (the first {@link #MAX_RETRIES} failures of a
     * {@code pkmsg}/{@code msg}); after that, or without anything to decrypt, an undecryptable payload is kept.
     */
    private Optional<Node> decryptAndKeep(Node stanza, String key) throws IOException {
        Map<String, String> attrs = stanza.attributes();
        Optional<Node> enc = stanza.children().stream().filter(child -> child.tag().equals("enc"))
                .filter(child -> {
                    String type = child.attributeOr("type", "");
                    return type.equals("pkmsg") || type.equals("msg");
                }).findFirst();
        String author = stanza.attributeOr("participant", stanza.attributeOr("from", ""));
        Optional<ponte.adapters.whatsapp.binary.Jid> authorJid = ponte.adapters.whatsapp.binary.Jid.parse(author);
        boolean group = GroupMessages.isGroup(stanza);
        if ((enc.isPresent() || group) && authorJid.isPresent()) {
            try {
                SignalAddress address = SignalAddress.of(authorJid.get());
                Node decrypted = signal.inTransaction(deviceId, unit -> {
                    // a group message: pkmsg/msg (the author's sender key) first, then the skmsg (GroupMessages)
                    byte[] plaintext = group ? GroupMessages.decrypt(unit, stanza, address, random)
                            : Padding.unpad(new SessionCipher(unit, random).decrypt(address,
                                    MessageType.fromWire(enc.get().attributeOr("type", "")),
                                    enc.get().bytes().orElse(new byte[0])).plaintext());
                    Node payload = Node.withBytes("message", attrs, plaintext);
                    unit.keepMessage(key, NodeEncoder.encode(payload));
                    return payload;
                });
                retries.remove(key);
                return Optional.of(decrypted);
            } catch (SignalException | IllegalArgumentException e) {
                int count = retries.merge(key, 1, Integer::sum);
                LOG.log(System.Logger.Level.WARNING, "message {0} from {1} could not be decrypted (try {2}): {3}",
                        stanza.attributeOr("id", ""), author, count, e.getMessage());
                if (count <= MAX_RETRIES) {
                    sender.send(retryReceipt(stanza, count));
                    return Optional.empty();
                }
                retries.remove(key);
            }
        }
        Node payload = undecryptable(attrs);
        try {
            signal.inTransaction(deviceId, unit -> {
                unit.keepMessage(key, NodeEncoder.encode(payload));
                return null;
            });
        } catch (SignalException e) {
            throw new IllegalStateException(e);
        }
        return Optional.of(payload);
    }

    private static Node undecryptable(Map<String, String> attrs) {
        return Node.withChildren("message", attrs, List.of(Node.of("undecryptable", Map.of())));
    }

    /**
     * {@code <receipt type=retry id to [participant] [recipient]><retry count id t v=1/><registration>4 bytes
     * </registration>[<keys>…</keys>]</receipt>}, the keys (our identity, signed prekey and signed device identity,
     * no one-time prekey) from the second try on, so the sender can start a new session (protocol.md §1.15,
     * whatsmeow retry.go sendRetryReceipt).
     */
    private Node retryReceipt(Node stanza, int count) {
        String id = stanza.attributeOr("id", "");
        DeviceCredentials own = credentials.get();
        var attrs = Node.attrs("id", id, "type", "retry", "to", stanza.attributeOr("from", ""));
        stanza.attribute("participant").ifPresent(participant -> attrs.put("participant", participant));
        stanza.attribute("recipient").ifPresent(recipient -> attrs.put("recipient", recipient));
        List<Node> content = new ArrayList<>(List.of(
                Node.of("retry", Node.attrs("count", Integer.toString(count), "id", id,
                        "t", stanza.attributeOr("t", ""), "v", "1")),
                Node.withBytes("registration", Map.of(), bigEndian(own.registrationId(), 4))));
        if (count > 1) {
            List<Node> keys = new ArrayList<>(List.of(
                    Node.withBytes("type", Map.of(), new byte[] {5}),
                    Node.withBytes("identity", Map.of(), own.identityKey().publicKey()),
                    Node.withChildren("skey", Map.of(), List.of(
                            Node.withBytes("id", Map.of(), bigEndian(own.signedPreKey().id(), 3)),
                            Node.withBytes("value", Map.of(), own.signedPreKey().keyPair().publicKey()),
                            Node.withBytes("signature", Map.of(), own.signedPreKey().signature())))));
            account.get().map(DeviceAccount::signedIdentity)
                    .ifPresent(identity -> keys.add(Node.withBytes("device-identity", Map.of(), identity)));
            content.add(Node.withChildren("keys", Map.of(), keys));
        }
        return Node.withChildren("receipt", attrs, content);
    }

    private static byte[] bigEndian(int value, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) (value >>> (8 * (length - 1 - i)));
        }
        return out;
    }

    /**
     * The listener keeps the event (a throw leaves the stanza unacked), then the key is handed on and receipted;
     * {@code live}: the stanza as it came on the connection now (empty for one a drain hands on). A history
     * notification from our own account goes to {@link HistorySync} instead, which acks it when it has kept it.
     */
    private void handOn(String key, Node payload, Optional<Node> live) {
        Optional<E2e.HistorySyncNotification> notification = ownHistory(payload);
        if (notification.isPresent()) {
            Runnable ack = live.map(deferAck).orElse(() -> { });
            history.accept(key, payload, notification.get(), live.isPresent(), ack);
            return;
        }
        Optional<CompanionEvent.MessageReceived> exchanged;
        try {
            exchanged = exchanged(payload);
        } catch (IllegalArgumentException e) {
            // a stanza the domain cannot name (a malformed id or JID): nothing to announce, but it is done with
            LOG.log(System.Logger.Level.WARNING, "message {0} has no API form: {1}", payload.attributeOr("id", ""),
                    e.getMessage());
            exchanged = Optional.empty();
        }
        exchanged.ifPresent(keep);
        ownProtocolMessage(payload).ifPresent(ownProtocol);
        signal.markHandedOn(deviceId, key);
        // a message we could not read is acked (the inbox does) but not receipted as delivered
        if (live.isPresent() && payload.child("undecryptable").isEmpty()) {
            try {
                receipt(payload);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "could not send a delivery receipt", e);
            }
        }
    }

    /**
     * The history notification (protocol.md §1.18) in a message our own account sent ({@code protocolMessage} of
     * type HISTORY_SYNC_NOTIFICATION); empty for anything else, or a payload that does not parse.
     */
    private Optional<E2e.HistorySyncNotification> ownHistory(Node payload) {
        return ownMessage(payload).flatMap(HistorySync::notification);
    }

    /** The protocol message of a message our own account sent us (not one relayed for a chat); else empty. */
    private Optional<E2e.ProtocolMessage> ownProtocolMessage(Node payload) {
        return ownMessage(payload).filter(E2e.Message::hasProtocolMessage).map(E2e.Message::getProtocolMessage);
    }

    /**
     * A readable message our own account sent this device itself (not a group's, not one relayed for a chat);
     * empty for anything else, or a payload that does not parse.
     */
    private Optional<E2e.Message> ownMessage(Node payload) {
        Optional<DeviceAccount> own = account.get();
        Optional<Jid> from = Jid.parse(payload.attributeOr("from", ""));
        if (own.isEmpty() || from.isEmpty() || from.get().isGroup() || !isOwn(from.get(), own.get())
                || payload.child("undecryptable").isPresent()) {
            return Optional.empty();
        }
        try {
            return Optional.of(E2e.Message.parseFrom(payload.bytes().orElse(new byte[0])));
        } catch (InvalidProtocolBufferException e) {
            return Optional.empty();
        }
    }

    private void receipt(Node stanza) throws IOException {
        String from = stanza.attributeOr("from", "");
        var attrs = Node.attrs("id", stanza.attributeOr("id", ""));
        Optional<String> recipient = stanza.attribute("recipient");
        if (recipient.isPresent()) {
            // our own phone's message to someone else: a sender receipt for our account's devices
            attrs.put("to", recipient.get());
            attrs.put("participant", from);
            attrs.put("type", "sender");
        } else {
            attrs.put("to", from);
            stanza.attribute("participant").ifPresent(participant -> attrs.put("participant", participant));
            if (stanza.attributeOr("category", "").equals("peer")) {
                // a message between our own devices (protocol.md §1.18): receipted as such
                attrs.put("type", "peer_msg");
            }
        }
        sender.send(Node.of("receipt", attrs));
    }

    private Optional<CompanionEvent.MessageReceived> exchanged(Node payload) {
        Optional<Jid> from = Jid.parse(payload.attributeOr("from", ""));
        if (from.isEmpty()) {
            return Optional.empty();
        }
        // a status update is authored like a group message: by its participant
        boolean group = from.get().isGroup() || from.get().isStatusBroadcast();
        Optional<Jid> author = group ? payload.attribute("participant").flatMap(Jid::parse) : from;
        if (author.isEmpty()) {
            return Optional.empty();
        }
        Optional<DeviceAccount> own = account.get();
        boolean fromMe = own.isPresent() && isOwn(author.get(), own.get());
        Optional<Jid> chat = Optional.of(from.get().toNonDevice());
        String id = payload.attributeOr("id", "");
        MessageContents.Decoded decoded;
        if (payload.child("undecryptable").isPresent()) {
            decoded = new MessageContents.Decoded(Optional.of(new Message.Undecryptable(payload.attributeOr("type",
                    "text"))), Optional.empty(), List.of(), Optional.empty(), new MessageContents.Change.None());
            if (fromMe && !group) {
                chat = payload.attribute("recipient").flatMap(Jid::parse).map(Jid::toNonDevice);
            }
        } else {
            E2e.Message message;
            try {
                message = E2e.Message.parseFrom(payload.bytes().orElse(new byte[0]));
            } catch (InvalidProtocolBufferException e) {
                LOG.log(System.Logger.Level.WARNING, "message {0}: not an e2e Message", id);
                return Optional.empty();
            }
            if (message.hasDeviceSentMessage() && !group) {
                chat = Jid.parse(message.getDeviceSentMessage().getDestinationJid()).map(Jid::toNonDevice);
            }
            var content = MessageContents.open(message).message();
            // a poll is kept with its secret whoever created it; a vote is opened with the poll's
            polls.received(id, author.get(), content);
            if (content.hasPollUpdateMessage()) {
                var vote = polls.vote(content.getPollUpdateMessage(), author.get().toNonDevice());
                if (vote.isEmpty()) {
                    return Optional.empty();
                }
                decoded = new MessageContents.Decoded(Optional.of(new Message.PollVote(
                        new MessageId(content.getPollUpdateMessage().getPollCreationMessageKey().getId()),
                        vote.get())), Optional.empty(), List.of(), Optional.empty(),
                        new MessageContents.Change.None());
            } else {
                decoded = MessageContents.decode(message);
            }
        }
        if (chat.isEmpty()) {
            return Optional.empty();
        }
        Sender who = fromMe ? ownSender(own.get(), payload) : Sender.of(author.get(), other(payload, author.get(),
                group).or(() -> known(author.get())), payload.attribute("notify").filter(name -> !name.isBlank()));
        Instant at = Instant.ofEpochSecond(parseLong(payload.attributeOr("t", "0")));
        var status = fromMe ? MessageStatus.SENT : MessageStatus.DELIVERED;
        var participant = group ? author : Optional.<Jid>empty();
        MessageExchanged event;
        switch (decoded.change()) {
            case MessageContents.Change.Edit edit -> event = new MessageExchanged(MessageExchanged.Kind.EDITED,
                    new Message(edit.target(), chat.get(), fromMe, who, at, status, edit.newBody(), Optional.empty(),
                            List.of(), participant, false, Optional.of(edit.at().orElse(at)), false));
            case MessageContents.Change.Revoke revoke -> event = new MessageExchanged(MessageExchanged.Kind.REVOKED,
                    new Message(revoke.target(), chat.get(), fromMe, who, at, status, new Message.Revoked(),
                            Optional.empty(), List.of(), participant, false, Optional.empty(), true));
            case MessageContents.Change.None ignored -> {
                if (decoded.body().isEmpty()) {
                    return Optional.empty();
                }
                event = MessageExchanged.of(new Message(new MessageId(id), chat.get(), fromMe, who, at, status,
                        decoded.body().get(), decoded.quoted(), decoded.mentions(), participant, false));
            }
        }
        return Optional.of(new CompanionEvent.MessageReceived(event, decoded.file()));
    }

    /** The author's other name, from {@code sender_pn}/{@code sender_lid} (1:1) or the participant's (groups). */
    private static Optional<Jid> other(Node payload, Jid author, boolean group) {
        String prefix = group ? "participant_" : "sender_";
        return payload.attribute(prefix + (author.isPhone() ? "lid" : "pn")).flatMap(Jid::parse)
                .filter(jid -> jid.isPhone() != author.isPhone());
    }

    /** The author's other name as the mapping store knows it, when the stanza did not say. */
    private Optional<Jid> known(Jid author) {
        return author.isPhone() ? lids.lidOf(author.user()).map(Jid::lid)
                : author.isLid() ? lids.phoneOf(author.user()).map(Jid::phone) : Optional.empty();
    }

    private static Sender ownSender(DeviceAccount own, Node payload) {
        return new Sender(Jid.parse(own.jid()), Optional.ofNullable(own.lid()).flatMap(Jid::parse),
                Optional.ofNullable(own.pushName()).filter(name -> !name.isBlank())
                        .or(() -> payload.attribute("notify").filter(name -> !name.isBlank())));
    }

    private static boolean isOwn(Jid author, DeviceAccount own) {
        return Jid.parse(own.jid()).map(jid -> jid.user().equals(author.user()) && author.isPhone()).orElse(false)
                || Optional.ofNullable(own.lid()).flatMap(Jid::parse)
                .map(lid -> lid.user().equals(author.user()) && author.isLid()).orElse(false);
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
