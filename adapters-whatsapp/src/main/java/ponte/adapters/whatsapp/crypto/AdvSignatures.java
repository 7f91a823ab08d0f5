package ponte.adapters.whatsapp.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The byte strings the primary phone and the companion sign when a device is linked (ADV). The prefixes are
 * protocol facts (whatsmeow pair.go, Baileys Defaults): [6,0] account, [6,1] device, [6,5] for hosted accounts,
 * which also prefixes the HMAC of a hosted account's container.
 */
public final class AdvSignatures {

    private static final byte[] ACCOUNT = {6, 0};
    private static final byte[] DEVICE = {6, 1};
    private static final byte[] HOSTED_ACCOUNT = {6, 5};

    private AdvSignatures() {
    }

    /** HMAC-SHA256 with the companion's ADV secret over the signed identity bytes. */
    public static byte[] hmac(byte[] advSecret, boolean hostedAccount, byte[] signedIdentity) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(advSecret, "HmacSHA256"));
            if (hostedAccount) {
                mac.update(HOSTED_ACCOUNT);
            }
            return mac.doFinal(signedIdentity);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("HMAC-SHA256 failed", e);
        }
    }

    /** What the account key signs: prefix ‖ device identity details ‖ the companion's identity key. */
    public static byte[] accountMessage(boolean hostedDevice, byte[] details, byte[] companionIdentity) {
        return Bytes.concat(hostedDevice ? HOSTED_ACCOUNT : ACCOUNT, details, companionIdentity);
    }

    /** What the companion signs back: [6,1] ‖ details ‖ its identity key ‖ the account key. */
    public static byte[] deviceMessage(byte[] details, byte[] companionIdentity, byte[] accountKey) {
        return Bytes.concat(DEVICE, details, companionIdentity, accountKey);
    }
}
