package ponte.bootstrap;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import ponte.application.port.out.SecretCipher;

/**
 * AES-256-GCM with a fresh 96-bit nonce per value. Layout: version byte, nonce, ciphertext with its 128-bit tag.
 * The version byte lets a later key rotation tell old values from new ones.
 */
final class AesGcmSecretCipher implements SecretCipher {
    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random;

    AesGcmSecretCipher(byte[] masterKey, SecureRandom random) {
        if (masterKey.length != 32) {
            throw new IllegalArgumentException("the master key must be 32 bytes (AES-256)");
        }
        this.key = new SecretKeySpec(masterKey, "AES");
        this.random = random;
    }

    @Override
    public byte[] seal(byte[] plaintext) {
        var nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            var cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(new byte[] {VERSION});
            var sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(VERSION).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    @Override
    public byte[] open(byte[] sealed) {
        if (sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != VERSION) {
            throw new IllegalArgumentException("not a value sealed by this gateway");
        }
        try {
            var cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_BYTES));
            cipher.updateAAD(new byte[] {VERSION});
            return cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalStateException("a stored secret does not open with this master key: was PONTE_MASTER_KEY "
                    + "changed?", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }
}
