package ponte.adapters.whatsapp.sandbox;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.crypto.CryptoException;
import ponte.adapters.whatsapp.media.MediaCipher;
import ponte.adapters.whatsapp.media.MediaIntegrityException;
import ponte.adapters.whatsapp.media.MediaKeys;
import ponte.adapters.whatsapp.media.MediaRetryCrypto;
import ponte.adapters.whatsapp.media.MediaType;
import ponte.adapters.whatsapp.proto.MediaRetryProto.MediaRetryNotification;
import ponte.adapters.whatsapp.sandbox.store.VirtualPhone;

/**
 * A sandbox phone's media: it uploads to and downloads from the sandbox's media host in-process (the bytes and
 * crypto are the same as over HTTPS), keeps the files it sent so that it can answer a peer's media-retry request by
 * uploading the file again, and asks a peer for a re-upload when a file it received is gone. The retry stanzas are
 * the shapes the wire client uses ({@code client.MediaRetries}).
 */
final class PhoneMedia {

    /** A file this phone uploaded: what a media message carries. */
    public record Uploaded(String directPath, byte[] mediaKey, MediaCipher.Sealed sealed) {
    }

    private record SentFile(MediaType type, byte[] mediaKey, byte[] plaintext) {
    }

    private record Pending(byte[] mediaKey, CompletableFuture<String> directPath) {
    }

    private final VirtualPhone account;
    private final MessageRouter router;
    private final MediaHost host;
    private final SecureRandom random;
    private final Map<String, SentFile> sent = new ConcurrentHashMap<>();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    PhoneMedia(VirtualPhone account, MessageRouter router, MediaHost host, SecureRandom random) {
        this.account = account;
        this.router = router;
        this.host = host;
        this.random = random;
    }

    private Jid self() {
        return Jid.device(account.phone(), 0, Jid.USER_SERVER);
    }

    /** Encrypts and stores {@code plaintext} on the media host, keeping it for retries under {@code messageId}. */
    Uploaded upload(String messageId, MediaType type, byte[] plaintext) {
        byte[] mediaKey = new byte[MediaKeys.MEDIA_KEY_LENGTH];
        random.nextBytes(mediaKey);
        Uploaded uploaded = upload(type, plaintext, mediaKey);
        sent.put(messageId, new SentFile(type, mediaKey, plaintext));
        return uploaded;
    }

    private Uploaded upload(MediaType type, byte[] plaintext, byte[] mediaKey) {
        try {
            Path body = Files.createTempFile("ponte-phone-upload-", ".enc");
            try {
                MediaCipher.Sealed sealed;
                try (OutputStream out = Files.newOutputStream(body)) {
                    sealed = MediaCipher.encrypt(mediaKey, type, new ByteArrayInputStream(plaintext), out);
                }
                try (InputStream in = Files.newInputStream(body)) {
                    return new Uploaded(host.store(account.phone() + "@" + Jid.USER_SERVER, type, in), mediaKey,
                            sealed);
                }
            } finally {
                Files.deleteIfExists(body);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The phone deleted the file it sent as {@code messageId}: a retry request for it is answered "not found". */
    void forget(String messageId) {
        sent.computeIfPresent(messageId, (id, file) -> new SentFile(file.type(), file.mediaKey(), null));
    }

    /** Downloads and opens a file; empty when the host no longer has it. Throws when it does not check out. */
    Optional<byte[]> download(MediaType type, String directPath, byte[] mediaKey, byte[] fileEncSha256,
            byte[] fileSha256) {
        try {
            Optional<InputStream> body = host.open(directPath);
            if (body.isEmpty()) {
                return Optional.empty();
            }
            Path file = Files.createTempFile("ponte-phone-download-", ".enc");
            try {
                try (InputStream in = body.get()) {
                    Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                MediaCipher.open(mediaKey, type, file, fileEncSha256, fileSha256, out);
                return Optional.of(out.toByteArray());
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MediaIntegrityException e) {
            throw new IllegalStateException("the downloaded file does not check out: " + e.getMessage(), e);
        }
    }

    /** Asks the sender of message {@code messageId} in the 1:1 chat with {@code peer} to upload its file again. */
    CompletableFuture<String> requestRetry(String messageId, Jid peer, byte[] mediaKey) {
        MediaRetryCrypto.Sealed sealed = MediaRetryCrypto.sealRequest(mediaKey, messageId, random);
        CompletableFuture<String> answer = new CompletableFuture<>();
        pending.put(messageId, new Pending(mediaKey.clone(), answer));
        router.receipt(self(), Node.withChildren("receipt", Node.attrs("id", messageId,
                "to", account.phone() + "@" + Jid.USER_SERVER, "type", "server-error"), List.of(encrypt(sealed),
                Node.of("rmr", Node.attrs("jid", peer.user() + "@" + peer.server(), "from_me", "false")))),
                ack -> { });
        return answer;
    }

    /** A peer's request for a file this phone sent: upload it again and answer, or say why not. */
    void answerRetry(Node receipt) {
        String id = receipt.attributeOr("id", "");
        String requester = Jid.parse(receipt.attributeOr("from", "")).map(jid -> jid.user() + "@" + jid.server())
                .orElse("");
        SentFile file = sent.get(id);
        Optional<MediaRetryCrypto.Sealed> sealed = sealed(receipt);
        if (file == null) {
            return; // not a message this phone sent: another device of the account may answer
        }
        Node payload;
        if (file.plaintext() == null || sealed.isEmpty()) {
            payload = error(MediaRetryNotification.ResultType.NOT_FOUND);
        } else {
            MediaRetryNotification.Builder answer = MediaRetryNotification.newBuilder().setStanzaId(id);
            try {
                MediaRetryCrypto.openRequest(file.mediaKey(), id, sealed.get());
                answer.setDirectPath(upload(file.type(), file.plaintext(), file.mediaKey()).directPath())
                        .setResult(MediaRetryNotification.ResultType.SUCCESS);
            } catch (CryptoException e) {
                answer.setResult(MediaRetryNotification.ResultType.DECRYPTION_ERROR);
            }
            payload = encrypt(MediaRetryCrypto.sealNotification(file.mediaKey(), id, answer.build(), random));
        }
        router.receipt(self(), Node.withChildren("receipt", Node.attrs("id", id, "to", requester,
                "type", "server-error"), List.of(payload, Node.of("rmr", Node.attrs("jid", requester,
                "from_me", "true")))), ack -> { });
    }

    /** A sender's answer to this phone's request. */
    void onRetryAnswer(Node notification) {
        String id = notification.attributeOr("id", "");
        Pending waiting = pending.remove(id);
        if (waiting == null) {
            return;
        }
        Optional<Node> error = notification.child("error");
        if (error.isPresent()) {
            waiting.directPath().completeExceptionally(new IllegalStateException(
                    "the sender could not upload the file again (" + error.get().attributeOr("code", "") + ")"));
            return;
        }
        try {
            MediaRetryNotification answer = MediaRetryCrypto.openNotification(waiting.mediaKey(), id,
                    sealed(notification).orElseThrow(() -> new CryptoException("an empty answer")));
            if (answer.getResult() == MediaRetryNotification.ResultType.SUCCESS) {
                waiting.directPath().complete(answer.getDirectPath());
            } else {
                waiting.directPath().completeExceptionally(new IllegalStateException(
                        "the sender answered " + answer.getResult()));
            }
        } catch (CryptoException e) {
            waiting.directPath().completeExceptionally(e);
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

    private static Node error(MediaRetryNotification.ResultType result) {
        return Node.of("error", Node.attrs("code", Integer.toString(result.getNumber())));
    }
}
