package ponte.adapters.whatsapp.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.KDF;
import javax.crypto.spec.HKDFParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** HKDF-SHA256 (RFC 5869) through the JDK's {@code javax.crypto.KDF}. */
public final class Hkdf {

    private Hkdf() {
    }

    public static byte[] sha256(byte[] inputKey, byte[] salt, byte[] info, int length) {
        try {
            var builder = HKDFParameterSpec.ofExtract();
            if (inputKey.length > 0) {
                builder = builder.addIKM(new SecretKeySpec(inputKey, "HKDF-IKM"));
            }
            if (salt != null && salt.length > 0) {
                builder = builder.addSalt(new SecretKeySpec(salt, "HKDF-Salt"));
            }
            return KDF.getInstance("HKDF-SHA256").deriveData(builder.thenExpand(info, length));
        } catch (GeneralSecurityException e) {
            throw new CryptoException("HKDF-SHA256 failed", e);
        }
    }
}
