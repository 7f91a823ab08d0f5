package ponte.adapters.whatsapp.signal;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A device's long-term Curve25519 identity public key. On the wire and in MACs it is serialized with libsignal's
 * key type byte {@code 0x05} in front, 33 bytes (protocol.md §1.12; libsignal-node {@code curve.js}).
 */
public record IdentityKey(byte[] publicKey) {

    public IdentityKey {
        if (publicKey == null || publicKey.length != 32) {
            throw new IllegalArgumentException("an identity key is a 32-byte Curve25519 public key");
        }
        publicKey = publicKey.clone();
    }

    /** Reads the 33-byte {@code 0x05 ‖ key} form. */
    public static IdentityKey parse(byte[] serialized) throws SignalException {
        return new IdentityKey(Keys.unprefixed(serialized));
    }

    /** The 33-byte {@code 0x05 ‖ key} form. */
    public byte[] serialize() {
        return Keys.prefixed(publicKey);
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IdentityKey that && MessageDigest.isEqual(publicKey, that.publicKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return "IdentityKey[" + HexFormat.of().formatHex(publicKey) + "]";
    }
}
