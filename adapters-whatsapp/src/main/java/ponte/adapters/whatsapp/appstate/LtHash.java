package ponte.adapters.whatsapp.appstate;

import java.nio.charset.StandardCharsets;
import java.util.List;
import ponte.adapters.whatsapp.crypto.Hkdf;

/**
 * WhatsApp's LTHash ("WhatsApp Patch Integrity", protocol.md §1.17): a 128-byte state read as 64 little-endian
 * unsigned 16-bit words. Adding an item adds {@code HKDF-SHA256(item, no salt, "WhatsApp Patch Integrity", 128)}
 * word by word modulo 2^16, removing it subtracts the same; the order of additions does not matter, so a
 * collection's hash is the sum over the value MACs of its live records, and a snapshot's MAC can be checked after
 * any sequence of patches.
 */
public final class LtHash {

    /** Bytes of the state. */
    public static final int SIZE = 128;
    private static final byte[] INFO = "WhatsApp Patch Integrity".getBytes(StandardCharsets.UTF_8);

    private LtHash() {
    }

    /** The empty state (all zero), a new collection's. */
    public static byte[] empty() {
        return new byte[SIZE];
    }

    /**
     * A new state: {@code base} minus every item of {@code remove}, plus every item of {@code add} (items are value
     * MACs). {@code base} is not changed.
     */
    public static byte[] subtractThenAdd(byte[] base, List<byte[]> remove, List<byte[]> add) {
        if (base.length != SIZE) {
            throw new IllegalArgumentException("an LTHash state has " + SIZE + " bytes, not " + base.length);
        }
        byte[] state = base.clone();
        for (byte[] item : remove) {
            mix(state, item, -1);
        }
        for (byte[] item : add) {
            mix(state, item, 1);
        }
        return state;
    }

    private static void mix(byte[] state, byte[] item, int sign) {
        byte[] expanded = Hkdf.sha256(item, null, INFO, SIZE);
        for (int i = 0; i < SIZE; i += 2) {
            int a = (state[i] & 0xff) | (state[i + 1] & 0xff) << 8;
            int b = (expanded[i] & 0xff) | (expanded[i + 1] & 0xff) << 8;
            int sum = (a + sign * b) & 0xffff;
            state[i] = (byte) sum;
            state[i + 1] = (byte) (sum >>> 8);
        }
    }
}
