package ponte.adapters.whatsapp.store;

import java.security.SecureRandom;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.crypto.XEdDsa;

/**
 * The keys a companion device is born with: its Noise static key, its Signal identity, a signed prekey, the
 * registration id and the ADV secret that authenticates pairing. Made once per device and kept until logout.
 */
public record DeviceCredentials(KeyPair noiseKey, KeyPair identityKey, SignedPreKey signedPreKey, int registrationId,
        byte[] advSecret) {

    public DeviceCredentials {
        if (advSecret.length != 32) {
            throw new IllegalArgumentException("the ADV secret is 32 bytes");
        }
        advSecret = advSecret.clone();
    }

    public static DeviceCredentials generate(SecureRandom random) {
        KeyPair identity = KeyPair.generate(random);
        KeyPair preKey = KeyPair.generate(random);
        byte[] signature = XEdDsa.sign(identity.privateKey(), SignedPreKey.signalPublicKey(preKey.publicKey()), random);
        byte[] advSecret = new byte[32];
        random.nextBytes(advSecret);
        // libsignal registration ids are 14 bits (Baileys generateRegistrationId)
        int registrationId = 1 + random.nextInt(16380);
        return new DeviceCredentials(KeyPair.generate(random), identity, new SignedPreKey(1, preKey, signature),
                registrationId, advSecret);
    }

    /** Pairing by code replaces the ADV secret with one both sides derive from the code exchange. */
    public DeviceCredentials withAdvSecret(byte[] secret) {
        return new DeviceCredentials(noiseKey, identityKey, signedPreKey, registrationId, secret);
    }

    @Override
    public byte[] advSecret() {
        return advSecret.clone();
    }
}
