package ponte.adapters.whatsapp.socket;

import java.util.HexFormat;

/**
 * The key that must have signed the intermediate certificate of the server's Noise chain, and the serial the
 * intermediate must name as its issuer. The default is WhatsApp's; the sandbox has its own.
 */
public record TrustRoot(byte[] publicKey, int issuerSerial) {

    /** WhatsApp's long-term root ("WhatsAppLongTerm1"), serial 0; from whatsmeow handshake.go and Baileys Defaults. */
    public static final TrustRoot WHATSAPP = new TrustRoot(
            HexFormat.of().parseHex("142375574d0a587166aae71ebe516437c4a28b73e3695c6ce1f7f9545da8ee6b"), 0);

    public TrustRoot {
        if (publicKey.length != 32) {
            throw new IllegalArgumentException("a trust root key is 32 bytes");
        }
        publicKey = publicKey.clone();
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }
}
