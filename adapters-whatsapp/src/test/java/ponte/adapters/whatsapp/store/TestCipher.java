package ponte.adapters.whatsapp.store;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import ponte.application.port.out.SecretCipher;

/** A real AES-256-GCM cipher with a random key and nonce, as bootstrap's is, for the store's tests. */
public final class TestCipher implements SecretCipher {

    private final SecureRandom random = new SecureRandom();
    private final SecretKeySpec key;

    public TestCipher() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        this.key = new SecretKeySpec(bytes, "AES");
    }

    @Override
    public byte[] seal(byte[] plaintext) {
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        byte[] sealed = run(Cipher.ENCRYPT_MODE, nonce, plaintext);
        return ByteBuffer.allocate(12 + sealed.length).put(nonce).put(sealed).array();
    }

    @Override
    public byte[] open(byte[] sealed) {
        byte[] nonce = java.util.Arrays.copyOf(sealed, 12);
        return run(Cipher.DECRYPT_MODE, nonce, java.util.Arrays.copyOfRange(sealed, 12, sealed.length));
    }

    private byte[] run(int mode, byte[] nonce, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(128, nonce));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
