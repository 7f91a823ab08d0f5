package ponte.adapters.whatsapp.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;

/** X25519 through the JDK's {@code XDH} provider, on the raw 32-byte keys the protocol carries. */
public final class Curve25519 {

    private static final byte[] BASE_POINT = littleEndian(BigInteger.valueOf(9));

    private Curve25519() {
    }

    public static byte[] agree(byte[] privateKey, byte[] publicKey) {
        try {
            KeyFactory factory = KeyFactory.getInstance("XDH");
            var privateSpec = new XECPrivateKeySpec(NamedParameterSpec.X25519, privateKey.clone());
            var publicSpec = new XECPublicKeySpec(NamedParameterSpec.X25519, uCoordinate(publicKey));
            KeyAgreement agreement = KeyAgreement.getInstance("XDH");
            agreement.init(factory.generatePrivate(privateSpec));
            agreement.doPhase(factory.generatePublic(publicSpec), true);
            return agreement.generateSecret();
        } catch (GeneralSecurityException e) {
            throw new CryptoException("X25519 agreement failed", e);
        }
    }

    /** The public key is the agreement with the base point u = 9, which saves a second code path. */
    static byte[] publicKey(byte[] privateKey) {
        return agree(privateKey, BASE_POINT);
    }

    /** RFC 7748: u is little-endian and its top bit is ignored. */
    static BigInteger uCoordinate(byte[] publicKey) {
        if (publicKey.length != 32) {
            throw new CryptoException("a Curve25519 public key is 32 bytes, got " + publicKey.length);
        }
        byte[] bigEndian = new byte[32];
        for (int i = 0; i < 32; i++) {
            bigEndian[i] = publicKey[31 - i];
        }
        bigEndian[0] &= 0x7f;
        return new BigInteger(1, bigEndian);
    }

    static byte[] littleEndian(BigInteger value) {
        byte[] bigEndian = value.toByteArray();
        byte[] out = new byte[32];
        for (int i = 0; i < Math.min(32, bigEndian.length); i++) {
            out[i] = bigEndian[bigEndian.length - 1 - i];
        }
        return out;
    }
}
