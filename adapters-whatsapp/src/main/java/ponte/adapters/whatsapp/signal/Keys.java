package ponte.adapters.whatsapp.signal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import ponte.adapters.whatsapp.crypto.CryptoException;
import ponte.adapters.whatsapp.crypto.Curve25519;
import ponte.adapters.whatsapp.crypto.Hkdf;

/**
 * The primitives libsignal builds on, in the forms it uses them (libsignal-node {@code crypto.js},
 * {@code curve.js}).
 */
final class Keys {

    /** libsignal's Curve25519 key type byte, put in front of every serialized public key. */
    static final byte DJB_TYPE = 0x05;
    /** Version 3 in both nibbles: the first byte of every v3 message (libsignal {@code CURRENT_VERSION}). */
    static final byte VERSION_BYTE = 0x33;
    static final int VERSION = 3;
    static final byte[] ZERO_SALT = new byte[32];

    private Keys() {
    }

    static byte[] prefixed(byte[] publicKey) {
        if (publicKey.length != 32) {
            throw new IllegalArgumentException("a Curve25519 public key is 32 bytes");
        }
        byte[] out = new byte[33];
        out[0] = DJB_TYPE;
        System.arraycopy(publicKey, 0, out, 1, 32);
        return out;
    }

    static byte[] unprefixed(byte[] serialized) throws SignalException {
        if (serialized == null || serialized.length != 33 || serialized[0] != DJB_TYPE) {
            throw new SignalException(SignalException.Reason.INVALID_MESSAGE,
                    "a Signal public key is 33 bytes starting with 0x05");
        }
        byte[] out = new byte[32];
        System.arraycopy(serialized, 1, out, 0, 32);
        return out;
    }

    /** X25519 on a peer's key; a key the JDK refuses (e.g. of small order) is the peer's fault, not ours. */
    static byte[] agree(byte[] privateKey, byte[] theirPublicKey) throws SignalException {
        try {
            return Curve25519.agree(privateKey, theirPublicKey);
        } catch (CryptoException e) {
            throw new SignalException(SignalException.Reason.INVALID_MESSAGE, "unusable Curve25519 public key", e);
        }
    }

    static byte[] hmac(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new CryptoException("HMAC-SHA256 failed", e);
        }
    }

    /** HKDF-SHA256 cut into 32-byte chunks, libsignal's {@code deriveSecrets}. */
    static byte[][] derive(byte[] input, byte[] salt, String info, int chunks) {
        byte[] out = Hkdf.sha256(input, salt, info.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 32 * chunks);
        byte[][] split = new byte[chunks][];
        for (int i = 0; i < chunks; i++) {
            split[i] = java.util.Arrays.copyOfRange(out, 32 * i, 32 * (i + 1));
        }
        return split;
    }

    static byte[] cbcEncrypt(byte[] key, byte[] iv, byte[] plaintext) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            return cipher.doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("AES-CBC failed", e);
        }
    }

    static byte[] cbcDecrypt(byte[] key, byte[] iv, byte[] ciphertext) throws SignalException {
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            return cipher.doFinal(ciphertext);
        } catch (GeneralSecurityException e) {
            throw new SignalException(SignalException.Reason.INVALID_MESSAGE, "AES-CBC decryption failed", e);
        }
    }

    static boolean equal(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }
}
