package ponte.adapters.whatsapp.crypto;

import it.auties.curve25519.Curve25519;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
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
        BigInteger u = ponte.adapters.whatsapp.crypto.Curve25519.uCoordinate(publicKey);
        if (u.add(BigInteger.ONE).mod(P).signum() == 0) {
            return false;
        }
        // y = (u - 1) / (u + 1); the sign of x travels in the signature's top bit (XEdDSA §2.3)
        BigInteger y = u.subtract(BigInteger.ONE).multiply(u.add(BigInteger.ONE).modInverse(P)).mod(P);
        boolean xOdd = (signature[63] & 0x80) != 0;
        byte[] edSignature = signature.clone();
        edSignature[63] &= 0x7f;
        try {
            var key = KeyFactory.getInstance("Ed25519")
                    .generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, new EdECPoint(xOdd, y)));
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(edSignature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
