package ponte.adapters.whatsapp.media;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import ponte.adapters.whatsapp.crypto.AesGcm;
import ponte.adapters.whatsapp.crypto.CryptoException;
import ponte.adapters.whatsapp.crypto.Hkdf;
import ponte.adapters.whatsapp.proto.MediaRetryProto.MediaRetryNotification;
import ponte.adapters.whatsapp.proto.MediaRetryProto.ServerErrorReceipt;

/**
 * The sealing of media-retry payloads (protocol.md §1.16, whatsmeow {@code mediaretry.go}): AES-256-GCM under
 * {@code HKDF-SHA256(mediaKey, salt=∅, "WhatsApp Media Retry Notification", 32)} with a random 12-byte iv and the
 * message id as associated data. Only holders of the file's media key can ask for it or read the answer.
 */
public final class MediaRetryCrypto {

    private static final byte[] INFO = "WhatsApp Media Retry Notification".getBytes(StandardCharsets.UTF_8);

    private MediaRetryCrypto() {
    }

    /** A sealed payload: {@code enc_p} and {@code enc_iv} of the {@code <encrypt>} node. */
    public record Sealed(byte[] ciphertext, byte[] iv) {
    }

    public static Sealed sealRequest(byte[] mediaKey, String messageId, SecureRandom random) {
        byte[] plaintext = ServerErrorReceipt.newBuilder().setStanzaId(messageId).build().toByteArray();
        return seal(mediaKey, messageId, plaintext, random);
    }

    /** The message id a request names; throws when it does not open with this media key or names another id. */
    public static String openRequest(byte[] mediaKey, String messageId, Sealed sealed) {
        try {
            String id = ServerErrorReceipt.parseFrom(open(mediaKey, messageId, sealed)).getStanzaId();
            if (!id.equals(messageId)) {
                throw new CryptoException("the media-retry request names another message");
            }
            return id;
        } catch (InvalidProtocolBufferException e) {
            throw new CryptoException("the media-retry request is no ServerErrorReceipt", e);
        }
    }

    public static Sealed sealNotification(byte[] mediaKey, String messageId, MediaRetryNotification notification,
            SecureRandom random) {
        return seal(mediaKey, messageId, notification.toByteArray(), random);
    }

    public static MediaRetryNotification openNotification(byte[] mediaKey, String messageId, Sealed sealed) {
        try {
            return MediaRetryNotification.parseFrom(open(mediaKey, messageId, sealed));
        } catch (InvalidProtocolBufferException e) {
            throw new CryptoException("the media-retry answer is no MediaRetryNotification", e);
        }
    }

    private static Sealed seal(byte[] mediaKey, String messageId, byte[] plaintext, SecureRandom random) {
        byte[] iv = new byte[12];
        random.nextBytes(iv);
        return new Sealed(AesGcm.encrypt(key(mediaKey), iv, plaintext, messageId.getBytes(StandardCharsets.UTF_8)),
                iv);
    }

    private static byte[] open(byte[] mediaKey, String messageId, Sealed sealed) {
        return AesGcm.decrypt(key(mediaKey), sealed.iv(), sealed.ciphertext(),
                messageId.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] key(byte[] mediaKey) {
        return Hkdf.sha256(mediaKey, new byte[0], INFO, 32);
    }
}
