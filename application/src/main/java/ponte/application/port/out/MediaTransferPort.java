package ponte.application.port.out;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import ponte.domain.message.Jid;
import ponte.domain.message.MessageId;

/**
 * What the media use cases ask of the WhatsApp engine (protocol.md §1.16): encrypt and upload a file before a media
 * message is sent, and download, check and decrypt the file a received media message points at. Both stream: the
 * file is never held whole in memory, on either path.
 *
 * <p>The engine chooses the HKDF info from the {@link MediaKind} ("WhatsApp Image Keys" for images and stickers,
 * "WhatsApp Video Keys" for video and GIF, "WhatsApp Audio Keys" for audio and voice notes, "WhatsApp Document Keys"
 * for documents) and the upload path ({@code /mms/image}, …) likewise.
 */
public interface MediaTransferPort {

    /** The wire's media families; each fixes the HKDF info and the upload path of its files. */
    enum MediaKind {
        IMAGE, VIDEO, AUDIO, DOCUMENT, STICKER
    }

    /**
     * Where an uploaded file lies and how to open it: what a media message on the wire carries besides its
     * description (the {@code directPath}, {@code url}, {@code mediaKey}, {@code fileSha256},
     * {@code fileEncSha256} and {@code fileLength} fields of WhatsApp's {@code ImageMessage} and its siblings).
     *
     * @param directPath    the path on the media host, e.g. {@code /v/t62.7118-24/…}
     * @param url           the full URL the uploader was given, when known
     * @param mediaKey      the 32-byte key HKDF expands into iv, cipher, MAC and ref keys
     * @param fileSha256    SHA-256 of the plaintext (32 bytes)
     * @param fileEncSha256 SHA-256 of the uploaded body, ciphertext ‖ 10-byte MAC (32 bytes)
     * @param fileLength    the plaintext's length in bytes
     */
    record MediaRef(String directPath, Optional<String> url, byte[] mediaKey, byte[] fileSha256,
                    byte[] fileEncSha256, long fileLength) {
        public MediaRef {
            Objects.requireNonNull(directPath, "directPath");
            Objects.requireNonNull(url, "url");
            mediaKey = mediaKey.clone();
            fileSha256 = fileSha256.clone();
            fileEncSha256 = fileEncSha256.clone();
            if (mediaKey.length != 32 || fileSha256.length != 32 || fileEncSha256.length != 32) {
                throw new IllegalArgumentException("a media key and both hashes are 32 bytes");
            }
            if (fileLength < 0) {
                throw new IllegalArgumentException("fileLength < 0");
            }
        }

        @Override
        public byte[] mediaKey() {
            return mediaKey.clone();
        }

        @Override
        public byte[] fileSha256() {
            return fileSha256.clone();
        }

        @Override
        public byte[] fileEncSha256() {
            return fileEncSha256.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof MediaRef that && directPath.equals(that.directPath) && url.equals(that.url)
                    && Arrays.equals(mediaKey, that.mediaKey) && Arrays.equals(fileSha256, that.fileSha256)
                    && Arrays.equals(fileEncSha256, that.fileEncSha256) && fileLength == that.fileLength;
        }

        @Override
        public int hashCode() {
            return Objects.hash(directPath, Arrays.hashCode(fileEncSha256), fileLength);
        }

        /** Never prints the media key: it opens the file. */
        @Override
        public String toString() {
            return "MediaRef[" + directPath + ", fileSha256=" + HexFormat.of().formatHex(fileSha256) + ", "
                    + fileLength + " bytes]";
        }
    }

    /**
     * The received message a file belongs to, which a media-retry request names (protocol.md §1.16): its id, chat,
     * whether we sent it, and in a group its author.
     */
    record MessageKey(MessageId id, Jid chat, boolean fromMe, Optional<Jid> participant) {
        public MessageKey {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(chat, "chat");
            Objects.requireNonNull(participant, "participant");
        }
    }

    /**
     * How the engine reads a sent file again, long after its upload, when a peer whose copy expired on the media host
     * asks for it (a media-retry request, protocol.md §1.16): a new stream of the plaintext each call (the caller
     * closes it), or empty when the gateway no longer keeps the file (the peer is then told NOT_FOUND).
     */
    @FunctionalInterface
    interface SentFileSource {
        java.util.Optional<java.io.InputStream> open();
    }

    /**
     * Encrypts {@code plaintext} with a fresh media key and uploads it to the media host the server names
     * ({@code media_conn}, cached until its ttl). {@code plaintext} need only last for this call: a later re-upload
     * for a peer's media-retry request reads the file from {@code again}.
     *
     * @return where it lies and how to open it, for the media message to carry
     * @throws MessagingPort.Offline when the instance has no live session on this node, or the upload failed
     *                               after retries (the send is tried again later)
     */
    MediaRef upload(UUID instanceId, MediaKind kind, Path plaintext, SentFileSource again);

    /**
     * Downloads the file of a received media message, checks {@code fileEncSha256} and the MAC before decrypting
     * and {@code fileSha256} after, and writes the plaintext to {@code sink} as it streams in (a caller that must
     * not keep unchecked bytes writes to a temporary file and keeps it only when this returns). When the host no
     * longer has the file, asks the sender's device to upload it again (a media-retry request) and downloads the
     * new copy.
     *
     * @throws MessagingPort.Offline     when the instance has no live session on this node
     * @throws MediaUnavailable          when the file cannot be had (gone after a retry, a hash or MAC mismatch, a
     *                                   refused request); the reason is for the message's {@code media.error}
     */
    void download(UUID instanceId, MessageKey message, MediaKind kind, MediaRef ref, OutputStream sink);

    /** The file of a received media message cannot be had; the message is still announced, with the reason. */
    final class MediaUnavailable extends RuntimeException {
        public MediaUnavailable(String reason) {
            super(reason);
        }
    }
}
