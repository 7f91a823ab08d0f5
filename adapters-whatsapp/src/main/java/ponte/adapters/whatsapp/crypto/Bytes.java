package ponte.adapters.whatsapp.crypto;

/** Byte strings laid end to end, as signed messages and key bundles are. */
public final class Bytes {

    private Bytes() {
    }

    public static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}
