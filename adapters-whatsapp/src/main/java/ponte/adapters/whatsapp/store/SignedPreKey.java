package ponte.adapters.whatsapp.store;

import ponte.adapters.whatsapp.crypto.KeyPair;

/** The medium-term prekey, signed by the identity key over its Signal form {@code 0x05 ‖ public}. */
public record SignedPreKey(int id, KeyPair keyPair, byte[] signature) {

    public SignedPreKey {
        if (signature.length != 64) {
            throw new IllegalArgumentException("an XEdDSA signature is 64 bytes");
        }
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** Signal serialises Curve25519 public keys with a leading type byte 5. */
    public static byte[] signalPublicKey(byte[] publicKey) {
        byte[] out = new byte[33];
        out[0] = 5;
        System.arraycopy(publicKey, 0, out, 1, 32);
        return out;
    }
}
