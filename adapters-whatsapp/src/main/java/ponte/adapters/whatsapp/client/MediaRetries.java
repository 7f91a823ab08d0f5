package ponte.adapters.whatsapp.client;

import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.crypto.CryptoException;
import ponte.adapters.whatsapp.media.MediaClient;
import ponte.adapters.whatsapp.media.MediaRetryCrypto;
import ponte.adapters.whatsapp.media.MediaType;
import ponte.adapters.whatsapp.proto.MediaRetryProto.MediaRetryNotification;
import ponte.adapters.whatsapp.store.DeviceAccount;

/**
 * Media retry (protocol.md §1.16; whatsmeow {@code mediaretry.go}, Baileys {@code encryptMediaRetryRequest} /
 * {@code decodeMediaRetryNode}), both ways.
 *
 * <p>As the receiver of a file its host no longer has: {@link #request} sends
 * {@code <receipt id to=<own user> type="server-error"><encrypt><enc_p/><enc_iv/></encrypt><rmr jid from_me
 * [participant]/></receipt>} (a sealed {@code ServerErrorReceipt}) and completes with the new direct path the
 * sender's device answers in {@code <notification type="mediaretry" id><rmr/><encrypt/>|<error code/></notification>}.
 *
 * <p>As the sender: a {@code <receipt type="server-error">} the server relays from a peer names a message we sent;
 * when its payload opens with that file's media key and the file is still at hand, the file is uploaded again
 * (same key, so the same body) and the answer goes back as {@code <receipt id to=<peer> type="server-error">}
 * carrying a sealed {@code MediaRetryNotification} (result {@code NOT_FOUND} when the file is no longer at hand). A
 * device that did not send the file stays silent, since the request reaches every device of the account. How a
 * sender's device
 * answers is not in any public client (whatsmeow and Baileys only ask); this shape is the sandbox's assumption,
 * mirroring the request.
 */
public final class MediaRetries {

    private static final System.Logger LOG = System.getLogger(MediaRetries.class.getName());

    /** A file we sent, kept so that a peer's retry request can be answered: its key and where its plaintext is. */
    public record SentFile(MediaType type, byte[] mediaKey, Supplier<Optional<InputStream>> plaintext) {
    }

    private record Pending(byte[] mediaKey, CompletableFuture<String> directPath) {
    }

    /** The sender's device could not upload the file again: {@code result} is the MediaRetryNotification result. */
    public static final class RetryRefused extends Exception {
        private final int result;

        public RetryRefused(int result, String message) {
            super(message);
            this.result = result;
        }

        public int result() {
            return result;
        }
    }

    private final Supplier<Optional<DeviceAccount>> account;
    private final Inbox.Sender sender;
    private final Supplier<MediaClient> media;
    private final SecureRandom random;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, SentFile> sent = new ConcurrentHashMap<>();
    /** How many uploads without a known message id are kept for retries. */
    public static final int REMEMBERED_UPLOADS = 1_000;
    private final Map<String, SentFile> uploads = new java.util.LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SentFile> eldest) {
            return size() > REMEMBERED_UPLOADS;
        }
    };

    MediaRetries(Supplier<Optional<DeviceAccount>> account, Inbox.Sender sender, Supplier<MediaClient> media,
            SecureRandom random) {
        this.account = account;
        this.sender = sender;
        this.media = media;
        this.random = random;
    }

    /**
     * {@code answers}: a download waits for the answer while its message's handler holds the inbox, so the answer is
     * settled on the reader thread ({@link WireClient#answers}); requests queue like any receipt.
     */
    void register(NodeHandlers handlers, NodeHandlers answers) {
        answers.on("notification", "mediaretry", this::onAnswer);
        handlers.on("receipt", "server-error", this::onRequest);
    }

    /** Keeps what is needed to upload a file we sent under {@code messageId} again. */
    public void rememberSent(String messageId, SentFile file) {
        sent.put(messageId, file);
    }

    /**
     * Keeps a file we uploaded whose message id is not known here (the application sends the message later). A
     * request for it is recognised by its seal: only the media key of the file asked for opens it, with the asked
     * message id as associated data. The last {@value #REMEMBERED_UPLOADS} uploads are kept, in memory.
     */
    public void rememberUpload(SentFile file) {
        synchronized (uploads) {
            uploads.put(java.util.HexFormat.of().formatHex(file.mediaKey()), file);
        }
    }

    private Optional<SentFile> sentFile(String messageId, MediaRetryCrypto.Sealed request) {
        SentFile byId = sent.get(messageId);
        if (byId != null) {
            return Optional.of(byId);
        }
        List<SentFile> candidates;
        synchronized (uploads) {
            candidates = List.copyOf(uploads.values());
        }
        for (SentFile candidate : candidates.reversed()) {
            try {
                MediaRetryCrypto.openRequest(candidate.mediaKey(), messageId, request);
                sent.put(messageId, candidate);
                return Optional.of(candidate);
            } catch (CryptoException notThisOne) {
                // sealed with another file's key
            }
        }
        return Optional.empty();
    }

    /**
     * Asks the sender's device of message {@code messageId} (in {@code chat}; {@code participant} its author in a
     * group) to upload its file again; completes with the new direct path, or fails with {@link RetryRefused}.
     */
    public CompletableFuture<String> request(String messageId, String chat, boolean fromMe,
            Optional<String> participant, byte[] mediaKey) throws IOException {
        DeviceAccount own = account.get().orElseThrow(() -> new IllegalStateException("not linked"));
        MediaRetryCrypto.Sealed sealed = MediaRetryCrypto.sealRequest(mediaKey, messageId, random);
        var rmr = Node.attrs("jid", chat, "from_me", Boolean.toString(fromMe));
        participant.ifPresent(author -> rmr.put("participant", author));
        CompletableFuture<String> answer = new CompletableFuture<>();
        pending.put(messageId, new Pending(mediaKey.clone(), answer));
        answer.whenComplete((path, failure) -> pending.computeIfPresent(messageId,
                (key, waiting) -> waiting.directPath() == answer ? null : waiting));
        sender.send(Node.withChildren("receipt", Node.attrs("id", messageId, "to", userOf(own.jid()),
                "type", "server-error"), List.of(encrypt(sealed), Node.of("rmr", rmr))));
        return answer;
    }

    private void onAnswer(Node notification) {
        String id = notification.attributeOr("id", "");
        Pending waiting = pending.remove(id);
        if (waiting == null) {
            return; // another device of ours asked, or the wait is over
        }
        Optional<Node> error = notification.child("error");
        if (error.isPresent()) {
            int code = errorCode(error.get().attributeOr("code", "0"));
            waiting.directPath().completeExceptionally(new RetryRefused(code,
                    "the sender's device could not upload the file again (" + code + ")"));
            return;
        }
        try {
            MediaRetryNotification answer = MediaRetryCrypto.openNotification(waiting.mediaKey(), id,
                    sealed(notification).orElseThrow(() -> new CryptoException("the answer carries nothing")));
            if (answer.getResult() == MediaRetryNotification.ResultType.SUCCESS && answer.hasDirectPath()) {
                waiting.directPath().complete(answer.getDirectPath());
            } else {
                waiting.directPath().completeExceptionally(new RetryRefused(answer.getResult().getNumber(),
                        "the sender's device answered " + answer.getResult()));
            }
        } catch (CryptoException e) {
            waiting.directPath().completeExceptionally(e);
        }
    }

    /** The {@code code} of a peer's {@code <error>}: a number, or 0 when the peer wrote something else. */
    private static int errorCode(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException notANumber) {
            return 0;
        }
    }

    private void onRequest(Node receipt) {
        String id = receipt.attributeOr("id", "");
        String from = receipt.attributeOr("from", "");
        Optional<MediaRetryCrypto.Sealed> sealed = sealed(receipt);
        Optional<SentFile> found = sealed.flatMap(request -> sentFile(id, request));
        if (found.isEmpty()) {
            return; // not a file this device sent: another device of the account may have it
        }
        SentFile file = found.get();
        try {
            MediaRetryCrypto.openRequest(file.mediaKey(), id, sealed.get());
        } catch (CryptoException e) {
            answerError(id, from, MediaRetryNotification.ResultType.DECRYPTION_ERROR);
            return;
        }
        // the upload takes as long as the file: off the connection's inbox
        Thread.ofVirtual().name("media-retry-" + id).start(() -> reupload(id, from, file));
    }

    private void reupload(String id, String from, SentFile file) {
        var answer = MediaRetryNotification.newBuilder().setStanzaId(id);
        Optional<InputStream> plaintext = file.plaintext().get();
        if (plaintext.isEmpty()) {
            answer.setResult(MediaRetryNotification.ResultType.NOT_FOUND);
        } else {
            try (InputStream in = plaintext.get()) {
                answer.setDirectPath(media.get().upload(file.type(), in, file.mediaKey()).directPath())
                        .setResult(MediaRetryNotification.ResultType.SUCCESS);
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "a file could not be uploaded again for a media retry: {0}",
                        e.getMessage());
                answer.setResult(MediaRetryNotification.ResultType.GENERAL_ERROR);
            }
        }
        send(id, from, encrypt(MediaRetryCrypto.sealNotification(file.mediaKey(), id, answer.build(), random)));
    }

    private void answerError(String id, String from, MediaRetryNotification.ResultType result) {
        send(id, from, Node.of("error", Node.attrs("code", Integer.toString(result.getNumber()))));
    }

    private void send(String id, String requester, Node payload) {
        List<Node> content = new ArrayList<>();
        content.add(payload);
        content.add(Node.of("rmr", Node.attrs("jid", userOf(requester), "from_me", "true")));
        try {
            sender.send(Node.withChildren("receipt", Node.attrs("id", id, "to", userOf(requester),
                    "type", "server-error"), content));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "the media-retry answer did not go out: {0}", e.getMessage());
        }
    }

    private static Optional<MediaRetryCrypto.Sealed> sealed(Node stanza) {
        Optional<Node> encrypt = stanza.child("encrypt");
        Optional<byte[]> ciphertext = encrypt.flatMap(e -> e.child("enc_p")).flatMap(Node::bytes);
        Optional<byte[]> iv = encrypt.flatMap(e -> e.child("enc_iv")).flatMap(Node::bytes);
        return ciphertext.isPresent() && iv.isPresent()
                ? Optional.of(new MediaRetryCrypto.Sealed(ciphertext.get(), iv.get())) : Optional.empty();
    }

    private static Node encrypt(MediaRetryCrypto.Sealed sealed) {
        return Node.withChildren("encrypt", Map.of(), List.of(Node.withBytes("enc_p", Map.of(), sealed.ciphertext()),
                Node.withBytes("enc_iv", Map.of(), sealed.iv())));
    }

    /** The user JID of a device JID ({@code 1555:3@s.whatsapp.net} → {@code 1555@s.whatsapp.net}). */
    private static String userOf(String jid) {
        return Jid.parse(jid).map(parsed -> parsed.user() + "@" + parsed.server()).orElse(jid);
    }
}
