package ponte.adapters.whatsapp.crypto.archfixture;

import ponte.application.port.out.SecretCipher;

/** A crypto primitive that calls into the application, on purpose, so the layering test can show its rule fires. */
public final class PrimitiveUsingTheCipherPort {
    private PrimitiveUsingTheCipherPort() {}

    public static byte[] seal(SecretCipher cipher, byte[] secret) {
        return cipher.seal(secret);
    }
}
