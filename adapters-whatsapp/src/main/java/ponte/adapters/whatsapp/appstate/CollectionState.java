package ponte.adapters.whatsapp.appstate;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a client stands in one app-state collection: the version it has applied, the LTHash of that version, and
 * the value MAC of every live record by its index MAC (base64), which a later REMOVE or overwriting SET subtracts
 * from the hash (protocol.md §1.17). Immutable; {@link SyncdCodec} returns a new one per applied patch.
 *
 * @param name      the collection ({@code critical_block}, {@code regular_high}, ...)
 * @param version   the last applied version, 0 before the first sync
 * @param hash      the 128-byte LTHash of that version
 * @param valueMacs value MAC by base64 index MAC, for every record the version holds
 */
public record CollectionState(String name, long version, byte[] hash, Map<String, byte[]> valueMacs) {

    public CollectionState {
        if (hash.length != LtHash.SIZE) {
            throw new IllegalArgumentException("an LTHash has " + LtHash.SIZE + " bytes");
        }
        hash = hash.clone();
        valueMacs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(valueMacs));
    }

    /** A collection never synced: version 0, empty hash, no records. */
    public static CollectionState empty(String name) {
        return new CollectionState(name, 0, LtHash.empty(), Map.of());
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    static String key(byte[] indexMac) {
        return Base64.getEncoder().encodeToString(indexMac);
    }
}
