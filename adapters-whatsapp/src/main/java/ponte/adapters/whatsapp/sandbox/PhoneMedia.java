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

    /** The file a received media message points at, as the phone reads it (its own reader, not the gateway's). */
    record FileRef(MediaType type, String directPath, byte[] mediaKey, byte[] fileSha256, byte[] fileEncSha256) {
    }

    /** A file this phone received in message {@code id} from {@code peer}: kept to be downloaded on demand. */
    private record ReceivedFile(String peer, FileRef file) {
    }

    private final Map<String, ReceivedFile> receivedFiles = new ConcurrentHashMap<>();

    void received(String messageId, String peer, FileRef file) {
        receivedFiles.put(messageId, new ReceivedFile(peer, file));
    }

    /** The file of a media message (image, video, audio, document or sticker), if it is one. */
    static Optional<FileRef> fileOf(ponte.adapters.whatsapp.proto.E2e.Message m) {
        if (m.hasImageMessage()) {
            var i = m.getImageMessage();
            return ref(MediaType.IMAGE, i.getDirectPath(), i.getMediaKey(), i.getFileSha256(), i.getFileEncSha256());
        }
        if (m.hasVideoMessage()) {
            var v = m.getVideoMessage();
            return ref(MediaType.VIDEO, v.getDirectPath(), v.getMediaKey(), v.getFileSha256(), v.getFileEncSha256());
        }
        if (m.hasAudioMessage()) {
            var a = m.getAudioMessage();
            return ref(MediaType.AUDIO, a.getDirectPath(), a.getMediaKey(), a.getFileSha256(), a.getFileEncSha256());
        }
        if (m.hasDocumentMessage()) {
            var d = m.getDocumentMessage();
            return ref(MediaType.DOCUMENT, d.getDirectPath(), d.getMediaKey(), d.getFileSha256(),
                    d.getFileEncSha256());
        }
        if (m.hasStickerMessage()) {
            var s = m.getStickerMessage();
            return ref(MediaType.STICKER, s.getDirectPath(), s.getMediaKey(), s.getFileSha256(),
                    s.getFileEncSha256());
        }
        return Optional.empty();
    }

    private static Optional<FileRef> ref(MediaType type, String directPath, com.google.protobuf.ByteString key,
            com.google.protobuf.ByteString sha, com.google.protobuf.ByteString encSha) {
        return directPath.isEmpty() || key.size() != 32 ? Optional.empty()
                : Optional.of(new FileRef(type, directPath, key.toByteArray(), sha.toByteArray(),
                        encSha.toByteArray()));
    }

    /**
     * The plaintext of the file received in {@code messageId}, downloaded and checked; when the host no longer has
     * it, asked again from the sender (media retry) and downloaded from the new path. Empty for an unknown message.
     */
    Optional<byte[]> receivedFile(String messageId, java.time.Duration wait) {
        ReceivedFile received = receivedFiles.get(messageId);
        if (received == null) {
            return Optional.empty();
        }
        var file = received.file();
        MediaType type = file.type();
        Optional<byte[]> first = download(type, file.directPath(), file.mediaKey(), file.fileEncSha256(),
                file.fileSha256());
        if (first.isPresent()) {
            return first;
        }
        try {
            String newPath = requestRetry(messageId, Jid.parse(received.peer()).orElseThrow(), file.mediaKey())
                    .get(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return download(type, newPath, file.mediaKey(), file.fileEncSha256(), file.fileSha256());
        } catch (Exception e) {
            throw new IllegalStateException("the file of " + messageId + " could not be had again: " + e, e);
        }
    }

    /** Encrypts and uploads a file, without a message yet: {@link #remember} binds it once the message is sent. */
    Uploaded upload(MediaType type, byte[] plaintext) {
        byte[] mediaKey = new byte[MediaKeys.MEDIA_KEY_LENGTH];
        random.nextBytes(mediaKey);
        return upload(type, plaintext, mediaKey);
    }

    void remember(String messageId, MediaType type, Uploaded uploaded, byte[] plaintext) {
        sent.put(messageId, new SentFile(type, uploaded.mediaKey(), plaintext));
    }

    /**
     * The e2e message of an uploaded file, as WhatsApp's clients shape it (field numbers from Baileys WAProto),
     * written apart from the gateway's encoder so the two check each other.
     */
    static ponte.adapters.whatsapp.proto.E2e.Message message(MediaType type, Uploaded uploaded, String mimeType,
            Optional<String> caption, Optional<String> fileName) {
        var key = com.google.protobuf.ByteString.copyFrom(uploaded.mediaKey());
        var sha = com.google.protobuf.ByteString.copyFrom(uploaded.sealed().fileSha256());
        var encSha = com.google.protobuf.ByteString.copyFrom(uploaded.sealed().fileEncSha256());
        long length = uploaded.sealed().fileLength();
        String url = "https://mmg.whatsapp.net" + uploaded.directPath();
        var out = ponte.adapters.whatsapp.proto.E2e.Message.newBuilder();
        switch (type) {
            case IMAGE -> {
                var b = ponte.adapters.whatsapp.proto.E2e.ImageMessage.newBuilder().setUrl(url).setMimetype(mimeType)
                        .setFileSha256(sha).setFileLength(length).setMediaKey(key).setFileEncSha256(encSha)
                        .setDirectPath(uploaded.directPath());
                caption.ifPresent(b::setCaption);
                out.setImageMessage(b);
            }
            case VIDEO, GIF -> {
                var b = ponte.adapters.whatsapp.proto.E2e.VideoMessage.newBuilder().setUrl(url).setMimetype(mimeType)
                        .setFileSha256(sha).setFileLength(length).setMediaKey(key).setFileEncSha256(encSha)
                        .setDirectPath(uploaded.directPath()).setGifPlayback(type == MediaType.GIF);
                caption.ifPresent(b::setCaption);
                out.setVideoMessage(b);
            }
            case AUDIO, PTT -> out.setAudioMessage(ponte.adapters.whatsapp.proto.E2e.AudioMessage.newBuilder()
                    .setUrl(url).setMimetype(mimeType).setFileSha256(sha).setFileLength(length).setMediaKey(key)
                    .setFileEncSha256(encSha).setDirectPath(uploaded.directPath()).setPtt(type == MediaType.PTT));
            case DOCUMENT -> {
                var b = ponte.adapters.whatsapp.proto.E2e.DocumentMessage.newBuilder().setUrl(url)
                        .setMimetype(mimeType).setFileSha256(sha).setFileLength(length).setMediaKey(key)
                        .setFileEncSha256(encSha).setDirectPath(uploaded.directPath());
                fileName.ifPresent(b::setFileName);
                caption.ifPresent(b::setCaption);
                out.setDocumentMessage(b);
            }
            case STICKER -> out.setStickerMessage(ponte.adapters.whatsapp.proto.E2e.StickerMessage.newBuilder()
                    .setUrl(url).setMimetype(mimeType).setFileSha256(sha).setFileLength(length).setMediaKey(key)
                    .setFileEncSha256(encSha).setDirectPath(uploaded.directPath()));
            default -> throw new IllegalArgumentException("a phone does not send " + type + " as a message");
        }
        return out.build();
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
