package ponte.adapters.whatsapp.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import ponte.adapters.whatsapp.crypto.CryptoException;

/**
 * WhatsApp's media encryption (protocol.md §1.16), streaming in fixed-size chunks so that a file of any size costs
 * the same memory: AES-256-CBC/PKCS7 with the expanded key's cipher key and iv, then
 * {@code HMAC-SHA256(macKey, iv ‖ ciphertext)} cut to its first 10 bytes appended to the ciphertext. The uploaded
 * body is {@code ciphertext ‖ mac}; {@code fileEncSha256} is its SHA-256 and {@code fileSha256} the plaintext's.
 *
 * <p>Opening a body checks {@code fileEncSha256} and the MAC over the whole body before the first block is
 * decrypted, so a tampered body yields no plaintext at all; {@code fileSha256} is checked once the plaintext has
 * streamed out (the MAC already proved the ciphertext is the sender's, so a mismatch there means the sender
 * described its file wrongly, and the caller drops what it wrote).
 */
public final class MediaCipher {

    /** The MAC's length at the body's end. */
    public static final int MAC_LENGTH = 10;
    private static final int CHUNK = 64 * 1024;

    private MediaCipher() {
    }

    /** What encrypting a file produced: the hashes and lengths a media message carries. */
    public record Sealed(byte[] fileSha256, byte[] fileEncSha256, long fileLength, long bodyLength) {
    }

    /** Encrypts {@code plaintext} into {@code body} ({@code ciphertext ‖ mac}), reading and writing in chunks. */
    public static Sealed encrypt(byte[] mediaKey, MediaType type, InputStream plaintext, OutputStream body)
            throws IOException {
        MediaKeys keys = MediaKeys.expand(mediaKey, type);
        Cipher aes = cipher(Cipher.ENCRYPT_MODE, keys);
        Mac mac = mac(keys);
        mac.update(keys.iv());
        MessageDigest plainHash = sha256();
        MessageDigest bodyHash = sha256();
        byte[] buffer = new byte[CHUNK];
        long fileLength = 0;
        long bodyLength = 0;
        for (int read; (read = plaintext.read(buffer)) != -1; ) {
            fileLength += read;
            plainHash.update(buffer, 0, read);
            byte[] out = aes.update(buffer, 0, read);
            if (out != null) {
                bodyLength += emit(out, mac, bodyHash, body);
            }
        }
        try {
            bodyLength += emit(aes.doFinal(), mac, bodyHash, body);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("AES-CBC padding failed", e);
        }
        byte[] tag = Arrays.copyOf(mac.doFinal(), MAC_LENGTH);
        bodyHash.update(tag);
        body.write(tag);
        bodyLength += MAC_LENGTH;
        return new Sealed(plainHash.digest(), bodyHash.digest(), fileLength, bodyLength);
    }

    private static int emit(byte[] ciphertext, Mac mac, MessageDigest bodyHash, OutputStream body)
            throws IOException {
        mac.update(ciphertext);
        bodyHash.update(ciphertext);
        body.write(ciphertext);
        return ciphertext.length;
    }

    /**
     * Checks a body as it streams by (e.g. while a download is written to a temporary file): SHA-256 of every
     * byte and the MAC of all but the last 10, which it holds back until {@link #finish}.
     */
    public static final class BodyCheck {
        private final MessageDigest bodyHash = sha256();
        private final Mac mac;
        private final byte[] tail = new byte[MAC_LENGTH];
        private int tailLength;
        private long length;

        public BodyCheck(MediaKeys keys) {
            this.mac = mac(keys);
            mac.update(keys.iv());
        }

        public void update(byte[] bytes, int offset, int count) {
            bodyHash.update(bytes, offset, count);
            length += count;
            // the last MAC_LENGTH bytes seen so far may be the MAC: they enter the HMAC only once pushed out
            int total = tailLength + count;
            int release = Math.max(0, total - MAC_LENGTH);
            int fromTail = Math.min(release, tailLength);
            mac.update(tail, 0, fromTail);
            int fromBytes = release - fromTail;
            mac.update(bytes, offset, fromBytes);
            byte[] kept = new byte[MAC_LENGTH];
            int keptLength = 0;
            for (int i = fromTail; i < tailLength; i++) {
                kept[keptLength++] = tail[i];
            }
            for (int i = offset + fromBytes; i < offset + count; i++) {
                kept[keptLength++] = bytes[i];
            }
            System.arraycopy(kept, 0, tail, 0, keptLength);
            tailLength = keptLength;
        }

        /** The body's length so far. */
        public long length() {
            return length;
        }

        /** Throws unless the whole body hashes to {@code fileEncSha256} and ends with the right MAC. */
        public void finish(byte[] expectedFileEncSha256) throws MediaIntegrityException {
            byte[] digest = bodyHash.digest();
            if (expectedFileEncSha256 != null && !MessageDigest.isEqual(digest, expectedFileEncSha256)) {
                throw new MediaIntegrityException("the media body does not match its fileEncSha256");
            }
            if (tailLength < MAC_LENGTH || (length - MAC_LENGTH) % 16 != 0 || length == MAC_LENGTH) {
                throw new MediaIntegrityException("the media body is not ciphertext blocks and a MAC");
            }
            byte[] expectedMac = Arrays.copyOf(mac.doFinal(), MAC_LENGTH);
            if (!MessageDigest.isEqual(expectedMac, tail)) {
                throw new MediaIntegrityException("the media body's MAC does not match");
            }
        }
    }

    /**
     * Opens a stored body: first checks its {@code fileEncSha256} and MAC (nothing is written when they fail),
     * then decrypts it into {@code plaintext} and checks {@code fileSha256} (when given) at the end.
     *
     * @return the plaintext's length in bytes
     */
    public static long open(byte[] mediaKey, MediaType type, Path body, byte[] fileEncSha256, byte[] fileSha256,
            OutputStream plaintext) throws IOException, MediaIntegrityException {
        MediaKeys keys = MediaKeys.expand(mediaKey, type);
        BodyCheck check = new BodyCheck(keys);
        byte[] buffer = new byte[CHUNK];
        try (InputStream in = Files.newInputStream(body)) {
            for (int read; (read = in.read(buffer)) != -1; ) {
                check.update(buffer, 0, read);
            }
        }
        check.finish(fileEncSha256);
        return decryptChecked(keys, body, check.length(), fileSha256, plaintext);
    }

    /** Decrypts a body whose hash and MAC were already checked by a {@link BodyCheck}. */
    public static long decryptChecked(MediaKeys keys, Path body, long bodyLength, byte[] fileSha256,
            OutputStream plaintext) throws IOException, MediaIntegrityException {
        Cipher aes = cipher(Cipher.DECRYPT_MODE, keys);
        MessageDigest plainHash = sha256();
        long remaining = bodyLength - MAC_LENGTH;
        long written = 0;
        byte[] buffer = new byte[CHUNK];
        try (InputStream in = Files.newInputStream(body)) {
            while (remaining > 0) {
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                if (read == -1) {
                    throw new MediaIntegrityException("the media body changed while it was read");
                }
                remaining -= read;
                byte[] out = aes.update(buffer, 0, read);
                if (out != null) {
                    plainHash.update(out);
                    plaintext.write(out);
                    written += out.length;
                }
            }
        }
        byte[] last;
        try {
            last = aes.doFinal();
        } catch (GeneralSecurityException e) {
            throw new MediaIntegrityException("the media body's padding is wrong");
        }
        plainHash.update(last);
        plaintext.write(last);
        written += last.length;
        if (fileSha256 != null && !MessageDigest.isEqual(plainHash.digest(), fileSha256)) {
            throw new MediaIntegrityException("the decrypted media does not match its fileSha256");
        }
        return written;
    }

    private static Cipher cipher(int mode, MediaKeys keys) {
        try {
            Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
            aes.init(mode, new SecretKeySpec(keys.cipherKey(), "AES"), new IvParameterSpec(keys.iv()));
            return aes;
        } catch (GeneralSecurityException e) {
            throw new CryptoException("AES-256-CBC is unavailable", e);
        }
    }

    private static Mac mac(MediaKeys keys) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(keys.macKey(), "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new CryptoException("HMAC-SHA256 is unavailable", e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new CryptoException("SHA-256 is unavailable", e);
        }
    }
}
