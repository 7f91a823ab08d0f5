package ponte.adapters.whatsapp.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** AES-256-GCM with a 128-bit tag appended to the ciphertext, the layout both ends of the Noise socket use. */
public final class AesGcm {

    private AesGcm() {
    }

    public static byte[] encrypt(byte[] key, byte[] iv, byte[] plaintext, byte[] aad) {
        return run(Cipher.ENCRYPT_MODE, key, iv, plaintext, aad);
    }

    public static byte[] decrypt(byte[] key, byte[] iv, byte[] ciphertext, byte[] aad) {
        return run(Cipher.DECRYPT_MODE, key, iv, ciphertext, aad);
    }

    /** The Noise nonce: 8 zero bytes and the 32-bit big-endian message counter. */
    public static byte[] counterNonce(int counter) {
        byte[] iv = new byte[12];
        iv[8] = (byte) (counter >>> 24);
        iv[9] = (byte) (counter >>> 16);
        iv[10] = (byte) (counter >>> 8);
        iv[11] = (byte) counter;
        return iv;
    }

    private static byte[] run(int mode, byte[] key, byte[] iv, byte[] input, byte[] aad) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
            if (aad != null && aad.length > 0) {
                cipher.updateAAD(aad);
            }
            return cipher.doFinal(input);
        } catch (AEADBadTagException e) {
            throw new CryptoException("AES-GCM authentication failed", e);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("AES-GCM failed", e);
        }
    }
}
