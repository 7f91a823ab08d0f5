package ponte.adapters.whatsapp.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Locale;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Linking by an 8-character code instead of a QR: the code, typed on the phone, is the only secret the two sides
 * share at first, so each wraps its ephemeral public key with a key stretched from it (PBKDF2-HMAC-SHA256, 131072
 * iterations) as {@code salt(32) ‖ iv(16) ‖ AES-256-CTR(key, iv, public key)} (whatsmeow pair-code.go).
 */
public final class LinkCode {

    /** Crockford-like base32 without 0, I, O and U, so that a typed code has no look-alike characters. */
    static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTVWXYZ";
    static final int ITERATIONS = 2 << 16;
    public static final int WRAPPED_LENGTH = 80;
    private static final byte[] BUNDLE_INFO =
            "link_code_pairing_key_bundle_encryption_key".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ADV_INFO = "adv_secret".getBytes(StandardCharsets.UTF_8);

    private LinkCode() {
    }

    /** Five random bytes as eight code characters. */
    public static String newCode(SecureRandom random) {
        byte[] bytes = new byte[5];
        random.nextBytes(bytes);
        return encode(bytes);
    }

    public static String encode(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(ALPHABET.charAt((buffer >>> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
        }
        return out.toString();
    }

    /** Eight characters of the alphabet, as {@link #normalize} leaves a correctly typed code. */
    public static boolean isWellFormed(String code) {
        return code.length() == 8 && code.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0);
    }

    /** The code as shown to people, {@code ABCD-EFGH}. */
    public static String display(String code) {
        return code.substring(0, 4) + "-" + code.substring(4);
    }

    /** What a person typed, without the dash or spaces, upper-cased. */
    public static String normalize(String typed) {
        return typed.replace("-", "").replace(" ", "").toUpperCase(Locale.ROOT);
    }

    public static byte[] key(String code, byte[] salt) {
        try {
            var spec = new PBEKeySpec(code.toCharArray(), salt, ITERATIONS, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new CryptoException("PBKDF2 failed", e);
        }
    }

    public static byte[] wrap(String code, byte[] publicKey, SecureRandom random) {
        byte[] salt = new byte[32];
        byte[] iv = new byte[16];
        random.nextBytes(salt);
        random.nextBytes(iv);
        return Bytes.concat(salt, iv, ctr(key(code, salt), iv, publicKey));
    }

    public static byte[] unwrap(String code, byte[] wrapped) {
        if (wrapped.length < WRAPPED_LENGTH) {
            throw new CryptoException("a wrapped link-code key is " + WRAPPED_LENGTH + " bytes, got " + wrapped.length);
        }
        byte[] salt = Arrays.copyOfRange(wrapped, 0, 32);
        byte[] iv = Arrays.copyOfRange(wrapped, 32, 48);
        return ctr(key(code, salt), iv, Arrays.copyOfRange(wrapped, 48, 80));
    }

    /**
     * The companion's key bundle, {@code salt(32) ‖ nonce(12) ‖ AES-256-GCM(HKDF(ephemeral agreement, salt))}, over
     * its identity key, the primary's identity key and 32 random bytes that feed the ADV secret.
     */
    public static byte[] sealBundle(byte[] ephemeralShared, byte[] bundle, SecureRandom random) {
        byte[] salt = new byte[32];
        byte[] nonce = new byte[12];
        random.nextBytes(salt);
        random.nextBytes(nonce);
        return Bytes.concat(salt, nonce,
                AesGcm.encrypt(Hkdf.sha256(ephemeralShared, salt, BUNDLE_INFO, 32), nonce, bundle, null));
    }

    /** Opens a key bundle; fails with {@link CryptoException} when the two sides did not agree on the code. */
    public static byte[] openBundle(byte[] ephemeralShared, byte[] wrapped) {
        if (wrapped.length < 44 + 16) {
            throw new CryptoException("a wrapped key bundle is too short: " + wrapped.length + " bytes");
        }
        byte[] salt = Arrays.copyOfRange(wrapped, 0, 32);
        byte[] nonce = Arrays.copyOfRange(wrapped, 32, 44);
        return AesGcm.decrypt(Hkdf.sha256(ephemeralShared, salt, BUNDLE_INFO, 32), nonce,
                Arrays.copyOfRange(wrapped, 44, wrapped.length), null);
    }

    /** The ADV secret both sides derive instead of reading it from a QR code. */
    public static byte[] advSecret(byte[] ephemeralShared, byte[] identityShared, byte[] bundleRandom) {
        return Hkdf.sha256(Bytes.concat(ephemeralShared, identityShared, bundleRandom), new byte[0], ADV_INFO,
                32);
    }

    private static byte[] ctr(byte[] key, byte[] iv, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("AES-CTR failed", e);
        }
    }
}
