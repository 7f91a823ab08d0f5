package ponte.adapters.whatsapp.client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.zip.InflaterInputStream;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.proto.E2e;
import ponte.adapters.whatsapp.proto.History;
import ponte.adapters.whatsapp.store.DeviceAccount;
import ponte.adapters.whatsapp.store.SignalStateStore;
import ponte.domain.message.Jid;
import ponte.domain.message.Message;
import ponte.domain.message.MessageExchanged;
import ponte.domain.message.MessageId;
import ponte.domain.message.MessageStatus;
import ponte.domain.message.Sender;

/**
 * The feature that takes in the history our own primary hands a newly linked device: a {@code protocolMessage} of
 * type HISTORY_SYNC_NOTIFICATION (protocol.md §1.18) whose payload is inline ({@code
 * initialHistBootstrapInlinePayload}) or a media blob ({@code directPath}, {@code mediaKey}: type md-msg-hist,
 * downloaded and checked into a temporary file first; a blob the host no longer has, or that does not check out, is
 * logged and acknowledged, one it could not reach stays unacknowledged). The payload is a zlib-deflated
 * {@code HistorySync}, read twice, streamed ({@link HistoryReader}): first what is kept in every case (PN↔LID
 * mappings into {@link LidMappings}, trusted-contact tokens into {@link PrivacyTokens}, the NCT salt (into the
 * device store's account), push names,
 * our own push name), then the messages, so each message's sender already has both names. Both go to the listener
 * in chunks of at most {@link #BATCH} as {@link CompanionEvent.HistoryReceived}; the core decides what it stores.
 *
 * <p>It runs on a thread of its own, one history at a time, never on the inbox that acks live messages: the inbox
 * hands the notification over and goes on; the notification is marked handed on, receipted ({@code peer_msg}, then
 * {@code hist_sync}) and acknowledged only after the last chunk was kept. If that fails, the stanza stays
 * unacknowledged and the server delivers it again on the next connection (a redelivered chunk stores nothing twice).
 */
final class HistorySync implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(HistorySync.class.getName());
    /** Messages (and contacts) handed to the listener at once: one transaction of the core each. */
    static final int BATCH = 500;

    private final UUID deviceId;
    private final SignalStateStore signal;
    private final Supplier<Optional<DeviceAccount>> account;
    private final Consumer<CompanionEvent.Received> keep;
    private final Consumer<String> ownPushName;
    private final Inbox.Sender sender;
    private final LidMappings lids;
    private final PrivacyTokens tokens;
    private final Consumer<byte[]> keepNctSalt;
    private final Supplier<ponte.adapters.whatsapp.media.MediaClient> media;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("wa-history").factory());

    HistorySync(UUID deviceId, SignalStateStore signal, Supplier<Optional<DeviceAccount>> account,
            Consumer<CompanionEvent.Received> keep, Consumer<String> ownPushName, Inbox.Sender sender,
            LidMappings lids, PrivacyTokens tokens, Consumer<byte[]> keepNctSalt,
            Supplier<ponte.adapters.whatsapp.media.MediaClient> media) {
        this.media = media;
        this.deviceId = deviceId;
        this.signal = signal;
        this.account = account;
        this.keep = keep;
        this.ownPushName = ownPushName;
        this.sender = sender;
        this.lids = lids;
        this.tokens = tokens;
        this.keepNctSalt = keepNctSalt;
    }

    /** The history notification in {@code message}, when it is one from our own account; else empty. */
    static Optional<E2e.HistorySyncNotification> notification(E2e.Message message) {
        return message.hasProtocolMessage() && message.getProtocolMessage().getType()
                == E2e.ProtocolMessage.Type.HISTORY_SYNC_NOTIFICATION
                ? Optional.of(message.getProtocolMessage().getHistorySyncNotification()) : Optional.empty();
    }

    /**
     * Takes the notification in over on this feature's thread and returns at once; {@code done} runs after it was
     * kept (the caller's ack). {@code live}: it came on the connection now (receipts go out), not from a drain.
     */
    void accept(String key, Node payload, E2e.HistorySyncNotification notification, boolean live, Runnable done) {
        worker.execute(() -> {
            try {
                take(payload, notification);
            } catch (IOException | RuntimeException e) {
                // left unacknowledged and not handed on: the server delivers it again, the drain retries it
                LOG.log(System.Logger.Level.ERROR, "history " + payload.attributeOr("id", "")
                        + " could not be kept; it stays unacknowledged", e);
                return;
            }
            signal.markHandedOn(deviceId, key);
            if (live) {
                try {
                    String id = payload.attributeOr("id", "");
                    String from = payload.attributeOr("from", "");
                    sender.send(Node.of("receipt", Node.attrs("id", id, "to", from, "type", "peer_msg")));
                    sender.send(Node.of("receipt", Node.attrs("id", id, "to", from, "type", "hist_sync")));
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.DEBUG, "could not receipt a history notification", e);
                }
            }
            done.run();
        });
    }

    private void take(Node payload, E2e.HistorySyncNotification notification) throws IOException {
        Instant sentAt = Instant.ofEpochSecond(parseLong(payload.attributeOr("t", "0")));
        if (!notification.getInitialHistBootstrapInlinePayload().isEmpty()) {
            byte[] deflated = notification.getInitialHistBootstrapInlinePayload().toByteArray();
            read(() -> new InflaterInputStream(new ByteArrayInputStream(deflated)), sentAt);
            return;
        }
        if (notification.getDirectPath().isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "history {0}: neither inline nor a blob", payload.attributeOr("id", ""));
            return;
        }
        // a media blob (md-msg-hist, "WhatsApp History Keys"): downloaded to a file, checked, then read from it
        java.nio.file.Path file = java.nio.file.Files.createTempFile("ponte-history-", ".zlib");
        try {
            try (var out = java.nio.file.Files.newOutputStream(file)) {
                media.get().download(ponte.adapters.whatsapp.media.MediaType.HISTORY, notification.getDirectPath(),
                        notification.getMediaKey().toByteArray(), notification.getFileEncSha256().toByteArray(),
                        notification.getFileSha256().toByteArray(), out);
            } catch (ponte.adapters.whatsapp.media.MediaTransferException e) {
                if (e.reason() == ponte.adapters.whatsapp.media.MediaTransferException.Reason.FAILED) {
                    throw new IOException("history blob: " + e.getMessage(), e); // stays unacked: tried again
                }
                LOG.log(System.Logger.Level.WARNING, "history {0}: the blob cannot be had: {1}",
                        payload.attributeOr("id", ""), e.getMessage());
                return;
            }
            read(() -> {
                try {
                    return new InflaterInputStream(java.nio.file.Files.newInputStream(file));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, sentAt);
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    /** The two passes over the inflated history {@code source} opens (once per pass). */
    void read(Supplier<InputStream> source, Instant sentAt) throws IOException {
        Optional<DeviceAccount> own = account.get();
        String ownUser = own.flatMap(a -> Jid.parse(a.jid())).map(Jid::user).orElse("");
        var contacts = new ArrayList<Sender>();
        String[] ownName = {null};
        try (InputStream in = source.get()) {
            HistoryReader.read(in, false, new HistoryReader.Visitor() {
                @Override
                public void pushName(String jid, String name) {
                    Optional<Jid> parsed = Jid.parse(jid).map(Jid::toNonDevice);
                    if (parsed.isEmpty()) {
                        return;
                    }
                    if (parsed.get().isPhone() && parsed.get().user().equals(ownUser)) {
                        ownName[0] = name;
                        return;
                    }
                    if (parsed.get().isPhone() || parsed.get().isLid()) {
                        contacts.add(Sender.of(parsed.get(), Optional.empty(), Optional.of(name)));
                        flushContacts(contacts, sentAt, false);
                    }
                }

                @Override
                public void mapping(String pnJid, String lidJid) {
                    lids.learn(pnJid, lidJid);
                }

                @Override
                public void nctSalt(byte[] salt) {
                    keepNctSalt.accept(salt);
                }

                @Override
                public void conversation(HistoryReader.Chat chat) {
                    if (chat.pnJid().isPresent() && chat.lidJid().isPresent()) {
                        lids.learn(chat.pnJid().get(), chat.lidJid().get());
                    }
                    chat.tcToken().ifPresent(token -> tokens.keep(chat.jid(), token));
                }
            });
        }
        // the push names now that every mapping is known: each contact with both of its names
        flushContacts(withOtherNames(contacts), sentAt, true);
        if (ownName[0] != null) {
            ownPushName.accept(ownName[0]);
            keep.accept(new CompanionEvent.PushNameLearned(ownName[0]));
        }
        var batch = new ArrayList<MessageExchanged>();
        int[] skipped = {0};
        try (InputStream in = source.get()) {
            HistoryReader.read(in, true, new HistoryReader.Visitor() {
                @Override
                public void message(String chatJid, History.WebMessageInfo info) {
                    Optional<MessageExchanged> exchanged = own.flatMap(a -> exchanged(a, chatJid, info));
                    if (exchanged.isEmpty()) {
                        skipped[0]++;
                        return;
                    }
                    batch.add(exchanged.get());
                    if (batch.size() >= BATCH) {
                        keep.accept(new CompanionEvent.HistoryReceived(batch, List.of(), sentAt));
                        batch.clear();
                    }
                }
            });
        }
        if (!batch.isEmpty()) {
            keep.accept(new CompanionEvent.HistoryReceived(batch, List.of(), sentAt));
        }
        if (skipped[0] > 0) {
            LOG.log(System.Logger.Level.DEBUG, "history: {0} messages without text or chat left out", skipped[0]);
        }
    }

    /** Hands the contacts over when a batch is full ({@code all}: whatever is left). */
    private void flushContacts(List<Sender> contacts, Instant sentAt, boolean all) {
        if (contacts.size() >= BATCH || (all && !contacts.isEmpty())) {
            keep.accept(new CompanionEvent.HistoryReceived(List.of(), contacts, sentAt));
            contacts.clear();
        }
    }

    private List<Sender> withOtherNames(List<Sender> contacts) {
        var out = new ArrayList<Sender>(contacts.size());
        for (Sender contact : contacts) {
            Jid named = contact.jid().or(contact::lid).orElseThrow();
            out.add(Sender.of(named, known(named), contact.pushName()));
        }
        return out;
    }

    /**
     * The message a {@code WebMessageInfo} of chat {@code chatJid} is: texts only (others are left out, as live),
     * from us or from the chat's person (the group's member), stored read, {@code fromHistory}.
     */
    private Optional<MessageExchanged> exchanged(DeviceAccount own, String chatJid, History.WebMessageInfo info) {
        Optional<Jid> chat = Jid.parse(chatJid).map(Jid::toNonDevice)
                .filter(jid -> jid.isPhone() || jid.isLid() || jid.isGroup());
        if (chat.isEmpty() || !info.hasMessage() || info.getKey().getId().isEmpty()) {
            return Optional.empty();
        }
        E2e.Message content = info.getMessage();
        Optional<String> text = content.hasConversation() ? Optional.of(content.getConversation())
                : content.hasExtendedTextMessage() ? Optional.of(content.getExtendedTextMessage().getText())
                : Optional.empty();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        boolean group = chat.get().isGroup();
        boolean fromMe = info.getKey().getFromMe();
        Sender who;
        Optional<Jid> author;
        if (fromMe) {
            who = new Sender(Jid.parse(own.jid()).map(Jid::toNonDevice),
                    Optional.ofNullable(own.lid()).flatMap(Jid::parse).map(Jid::toNonDevice),
                    Optional.ofNullable(own.pushName()).filter(name -> !name.isBlank()));
            author = who.jid();
        } else {
            String participant = !info.getKey().getParticipant().isEmpty() ? info.getKey().getParticipant()
                    : info.getParticipant();
            author = group ? Jid.parse(participant).map(Jid::toNonDevice) : chat;
            if (author.isEmpty()) {
                return Optional.empty();
            }
            who = Sender.of(author.get(), known(author.get()),
                    Optional.of(info.getPushName()).filter(name -> !name.isBlank()));
        }
        MessageStatus status = !fromMe ? MessageStatus.READ : switch (info.getStatus()) {
            case DELIVERY_ACK -> MessageStatus.DELIVERED;
            case READ -> MessageStatus.READ;
            case PLAYED -> MessageStatus.PLAYED;
            default -> MessageStatus.SENT;
        };
        try {
            var message = new Message(new MessageId(info.getKey().getId()), chat.get(), fromMe, who,
                    Instant.ofEpochSecond(info.getMessageTimestamp()), status, new Message.Text(text.get()),
                    Optional.empty(), List.of(), group ? author : Optional.empty(), true);
            return Optional.of(MessageExchanged.of(message));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The other name of a PN or LID as the mapping store knows it. */
    private Optional<Jid> known(Jid jid) {
        return jid.isPhone() ? lids.lidOf(jid.user()).map(Jid::lid)
                : jid.isLid() ? lids.phoneOf(jid.user()).map(Jid::phone) : Optional.empty();
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
