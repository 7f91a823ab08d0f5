package ponte.adapters.whatsapp.media;

import java.util.Arrays;
import ponte.adapters.whatsapp.crypto.Hkdf;

/**
 * A media key expanded for one media type: {@code HKDF-SHA256(mediaKey, salt=∅, "WhatsApp <X> Keys", 112)} cut into
 * iv [0:16], cipher key [16:48], MAC key [48:80] and ref key [80:112] (protocol.md §1.16).
 */
public record MediaKeys(byte[] iv, byte[] cipherKey, byte[] macKey, byte[] refKey) {

    /** Every media key is 32 random bytes. */
    public static final int MEDIA_KEY_LENGTH = 32;

    public static MediaKeys expand(byte[] mediaKey, MediaType type) {
        if (mediaKey.length != MEDIA_KEY_LENGTH) {
            throw new IllegalArgumentException("a media key is 32 bytes");
        }
        byte[] expanded = Hkdf.sha256(mediaKey, new byte[0], type.hkdfInfo(), 112);
        return new MediaKeys(Arrays.copyOfRange(expanded, 0, 16), Arrays.copyOfRange(expanded, 16, 48),
                Arrays.copyOfRange(expanded, 48, 80), Arrays.copyOfRange(expanded, 80, 112));
    }

    @Override
    public String toString() {
        return "MediaKeys[…]";
    }
}
