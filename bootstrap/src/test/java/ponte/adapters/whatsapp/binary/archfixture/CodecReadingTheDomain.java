package ponte.adapters.whatsapp.binary.archfixture;

import ponte.domain.instance.DisconnectReason;

/** A codec class that knows the gateway's domain, on purpose, so the WhatsApp layering test can show its rule fires. */
public final class CodecReadingTheDomain {
    private CodecReadingTheDomain() {}

    public static String tagFor(DisconnectReason reason) {
        return reason.wireName();
    }
}
