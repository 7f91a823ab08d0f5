package ponte.adapters.whatsapp.socket;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import ponte.adapters.whatsapp.crypto.AesGcm;
import ponte.adapters.whatsapp.crypto.Curve25519;
import ponte.adapters.whatsapp.crypto.Hkdf;

/**
 * The symmetric half of Noise_XX_25519_AESGCM_SHA256 as WhatsApp runs it, shared by our client and the sandbox's
 * server. Unlike textbook Noise, encryption and decryption share one counter until the split, which is why this
 * class has a single {@code counter}.
 */
public final class HandshakeState {

    private byte[] hash;
    private byte[] salt;
    private byte[] key;
    private int counter;

    public HandshakeState(byte[] prologue) {
        byte[] pattern = NoiseConstants.PATTERN.getBytes(StandardCharsets.ISO_8859_1);
        hash = pattern;
        salt = pattern;
        key = pattern;
        mixHash(prologue);
    }

    public void mixHash(byte[] data) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(hash);
            digest.update(data);
            hash = digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    public void mixKey(byte[] inputKey) {
        byte[] derived = Hkdf.sha256(inputKey, salt, new byte[0], 64);
        salt = Arrays.copyOfRange(derived, 0, 32);
        key = Arrays.copyOfRange(derived, 32, 64);
        counter = 0;
    }

    public void mixSharedSecret(byte[] privateKey, byte[] publicKey) {
        mixKey(Curve25519.agree(privateKey, publicKey));
    }

    public byte[] encrypt(byte[] plaintext) {
        byte[] ciphertext = AesGcm.encrypt(key, AesGcm.counterNonce(counter++), plaintext, hash);
        mixHash(ciphertext);
        return ciphertext;
    }

    public byte[] decrypt(byte[] ciphertext) throws HandshakeException {
        try {
            byte[] plaintext = AesGcm.decrypt(key, AesGcm.counterNonce(counter++), ciphertext, hash);
            mixHash(ciphertext);
            return plaintext;
        } catch (RuntimeException e) {
            throw new HandshakeException("handshake message failed to decrypt", e);
        }
    }

    /** Ends the handshake: the initiator writes with the first key and reads with the second. */
    public TransportKeys split(boolean initiator) {
        byte[] derived = Hkdf.sha256(new byte[0], salt, new byte[0], 64);
        byte[] first = Arrays.copyOfRange(derived, 0, 32);
        byte[] second = Arrays.copyOfRange(derived, 32, 64);
        return initiator ? new TransportKeys(first, second) : new TransportKeys(second, first);
    }
}
