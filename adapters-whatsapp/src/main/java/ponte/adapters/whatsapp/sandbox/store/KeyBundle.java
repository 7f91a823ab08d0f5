package ponte.adapters.whatsapp.sandbox.store;

import java.util.Optional;

/**
 * What a peer fetches to start a session with a device: its registration id, identity, signed prekey and, while
 * any are left, one one-time prekey (which the fetch consumes). {@code remaining} counts the one-time prekeys left.
 */
public record KeyBundle(int registrationId, byte[] identity, int signedPreKeyId, byte[] signedPreKey,
        byte[] signedPreKeySignature, Optional<OneTimeKey> preKey, int remaining) {

    /** A one-time prekey as uploaded: its 24-bit id and public key. */
    public record OneTimeKey(int id, byte[] publicKey) {
    }
}
