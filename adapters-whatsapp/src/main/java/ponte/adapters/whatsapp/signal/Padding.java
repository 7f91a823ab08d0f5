package ponte.adapters.whatsapp.signal;

import java.security.SecureRandom;
import java.util.Arrays;
import ponte.adapters.whatsapp.signal.SignalException.Reason;

/**
 * WhatsApp's padding of a serialized message before Signal encryption ({@code <enc v=2>}): 1 to 16 bytes, each
 * equal to the pad length (protocol.md §1.12; Baileys {@code writeRandomPadMax16}/{@code unpadRandomMax16},
 * whatsmeow {@code padMessage}/{@code unpadMessage}, which also checks every pad byte).
 */
public final class Padding {

    private Padding() {
    }

    public static byte[] pad(byte[] plaintext, SecureRandom random) {
        int length = (random.nextInt() & 0x0f) + 1;
        byte[] out = Arrays.copyOf(plaintext, plaintext.length + length);
        Arrays.fill(out, plaintext.length, out.length, (byte) length);
        return out;
    }

    /** Strips the padding; refuses an empty input, a zero or oversized length, or pad bytes that differ. */
    public static byte[] unpad(byte[] padded) throws SignalException {
        if (padded.length == 0) {
            throw new SignalException(Reason.INVALID_MESSAGE, "an empty plaintext has no padding");
        }
        int length = padded[padded.length - 1] & 0xff;
        if (length == 0 || length > padded.length) {
            throw new SignalException(Reason.INVALID_MESSAGE, "bad pad length " + length);
        }
        for (int i = padded.length - length; i < padded.length; i++) {
            if ((padded[i] & 0xff) != length) {
                throw new SignalException(Reason.INVALID_MESSAGE, "the pad bytes differ");
            }
        }
        return Arrays.copyOf(padded, padded.length - length);
    }
}
