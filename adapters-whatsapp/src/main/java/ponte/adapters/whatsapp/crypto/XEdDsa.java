package ponte.adapters.whatsapp.crypto;

import it.auties.curve25519.Curve25519;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;

/**
 * XEdDSA signatures made with Curve25519 (Montgomery) keys, as WhatsApp's certificates and Signal keys use.
 * Verification converts the key to its Edwards form and uses the JDK's Ed25519, so it shares no code with the
 * signing library: a bug in one cannot hide a bug in the other.
 */
public final class XEdDsa {

    private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));

    private XEdDsa() {
    }

    public static byte[] sign(byte[] privateKey, byte[] message, SecureRandom random) {
        byte[] nonce = new byte[64];
        random.nextBytes(nonce);
        return Curve25519.sign(KeyPair.clamp(privateKey), message, nonce);
    }

    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey == null || signature == null || publicKey.length != 32 || signature.length != 64) {
            return false;
        }
        // the sign of x travels in the signature's top bit (XEdDSA §2.3)
        boolean xOdd = (signature[63] & 0x80) != 0;
        byte[] edSignature = signature.clone();
        edSignature[63] &= 0x7f;
        try {
            PublicKey key = edwardsKey(publicKey, xOdd);
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(edSignature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The Ed25519 public key of a Curve25519 public key with the given sign of x: y = (u - 1) / (u + 1). A
     * Montgomery key fixes its Edwards key only up to that sign; its holder can sign for both.
     *
     * @throws IllegalArgumentException when u = -1, which has no Edwards point
     */
    public static PublicKey edwardsKey(byte[] montgomeryPublic, boolean xOdd) throws GeneralSecurityException {
        BigInteger u = ponte.adapters.whatsapp.crypto.Curve25519.uCoordinate(montgomeryPublic);
        if (u.add(BigInteger.ONE).mod(P).signum() == 0) {
            throw new IllegalArgumentException("u = -1 has no Edwards form");
        }
        BigInteger y = u.subtract(BigInteger.ONE).multiply(u.add(BigInteger.ONE).modInverse(P)).mod(P);
        return KeyFactory.getInstance("Ed25519")
                .generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, new EdECPoint(xOdd, y)));
    }
}
