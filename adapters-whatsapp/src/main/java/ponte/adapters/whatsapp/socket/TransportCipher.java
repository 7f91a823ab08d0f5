package ponte.adapters.whatsapp.socket;

import ponte.adapters.whatsapp.crypto.AesGcm;

/**
 * One direction of an established Noise socket: AES-GCM with an empty AAD and its own counter from zero.
 * Callers serialise use per direction, because the counter order must equal the order on the wire.
 */
public final class TransportCipher {

    private final byte[] key;
    private int counter;

    TransportCipher(byte[] key) {
        this.key = key.clone();
    }

    public synchronized byte[] seal(byte[] plaintext) {
        return AesGcm.encrypt(key, AesGcm.counterNonce(counter++), plaintext, null);
    }

    public synchronized byte[] open(byte[] ciphertext) {
        return AesGcm.decrypt(key, AesGcm.counterNonce(counter++), ciphertext, null);
    }
}
