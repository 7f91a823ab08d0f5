package ponte.adapters.whatsapp.crypto;

import java.security.SecureRandom;
import java.util.Arrays;

/** A Curve25519 key pair as WhatsApp stores it: 32 raw private bytes and the 32-byte Montgomery public key. */
public record KeyPair(byte[] privateKey, byte[] publicKey) {

    public KeyPair {
        if (privateKey.length != 32 || publicKey.length != 32) {
            throw new IllegalArgumentException("Curve25519 keys are 32 bytes");
        }
        privateKey = privateKey.clone();
        publicKey = publicKey.clone();
    }

    public static KeyPair generate(SecureRandom random) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        return fromPrivate(clamp(secret));
    }

    /**
     * RFC 7748 clamping, applied once at generation as libsignal does: X25519 clamps anyway, but XEdDSA signs
     * with the scalar as stored, so an unclamped key would sign for a different public key.
     */
    static byte[] clamp(byte[] scalar) {
        byte[] clamped = scalar.clone();
        clamped[0] &= (byte) 248;
        clamped[31] &= 127;
        clamped[31] |= 64;
        return clamped;
    }

    public static KeyPair fromPrivate(byte[] privateKey) {
        return new KeyPair(privateKey, Curve25519.publicKey(privateKey));
    }

    @Override
    public byte[] privateKey() {
        return privateKey.clone();
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyPair that && Arrays.equals(privateKey, that.privateKey)
                && Arrays.equals(publicKey, that.publicKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return "KeyPair[public=" + java.util.HexFormat.of().formatHex(publicKey) + "]";
    }
}
