package ponte.adapters.whatsapp.client;

import java.security.SecureRandom;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.crypto.XEdDsa;

/**
 * The keys a companion device is born with: Noise static key, Signal identity, one signed prekey, the
 * registration id, and the secret that authenticates pairing (ADV). Stored with the device; never regenerated.
 */
public record DeviceKeys(KeyPair noiseKey, KeyPair identityKey, int signedPreKeyId, KeyPair signedPreKey,
        byte[] signedPreKeySignature, int registrationId, byte[] advSecret) {

    public static DeviceKeys generate(SecureRandom random) {
        KeyPair identity = KeyPair.generate(random);
        KeyPair preKey = KeyPair.generate(random);
        byte[] advSecret = new byte[32];
        random.nextBytes(advSecret);
        byte[] signature = XEdDsa.sign(identity.privateKey(), signalPublicKey(preKey.publicKey()), random);
        // libsignal registration ids are 14 bits (Baileys generateRegistrationId)
        int registrationId = 1 + random.nextInt(16380);
        return new DeviceKeys(KeyPair.generate(random), identity, 1, preKey, signature, registrationId, advSecret);
    }

    /** Signal serialises Curve25519 public keys with a leading type byte 5. */
    public static byte[] signalPublicKey(byte[] publicKey) {
        byte[] out = new byte[33];
        out[0] = 5;
        System.arraycopy(publicKey, 0, out, 1, 32);
        return out;
    }
}
