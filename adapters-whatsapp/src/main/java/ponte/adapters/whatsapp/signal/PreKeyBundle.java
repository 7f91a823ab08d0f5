package ponte.adapters.whatsapp.signal;

import java.util.OptionalInt;

/**
 * What a peer device publishes so others can start a session with it (protocol.md §1.10 fetch, §1.12): its
 * registration id, identity key, signed prekey with the identity's XEdDSA signature over {@code 0x05 ‖ public},
 * and, while the server has any left, one one-time prekey (24-bit id). Keys are the raw 32-byte public keys.
 */
public record PreKeyBundle(int registrationId, IdentityKey identityKey, int signedPreKeyId, byte[] signedPreKey,
        byte[] signedPreKeySignature, OptionalInt preKeyId, byte[] preKey) {

    public PreKeyBundle {
        if (identityKey == null || signedPreKey == null || signedPreKey.length != 32) {
            throw new IllegalArgumentException("a bundle needs an identity and a 32-byte signed prekey");
        }
        if (signedPreKeySignature == null || signedPreKeySignature.length != 64) {
            throw new IllegalArgumentException("the signed prekey's signature is 64 bytes");
        }
        if (preKeyId.isPresent() != (preKey != null) || (preKey != null && preKey.length != 32)) {
            throw new IllegalArgumentException("a one-time prekey has both an id and a 32-byte key, or neither");
        }
        signedPreKey = signedPreKey.clone();
        signedPreKeySignature = signedPreKeySignature.clone();
        preKey = preKey == null ? null : preKey.clone();
    }

    /** A bundle without a one-time prekey (the server ran out): X3DH then uses three agreements, not four. */
    public static PreKeyBundle withoutPreKey(int registrationId, IdentityKey identityKey, int signedPreKeyId,
            byte[] signedPreKey, byte[] signature) {
        return new PreKeyBundle(registrationId, identityKey, signedPreKeyId, signedPreKey, signature,
                OptionalInt.empty(), null);
    }

    @Override
    public byte[] signedPreKey() {
        return signedPreKey.clone();
    }

    @Override
    public byte[] signedPreKeySignature() {
        return signedPreKeySignature.clone();
    }

    @Override
    public byte[] preKey() {
        return preKey == null ? null : preKey.clone();
    }
}
