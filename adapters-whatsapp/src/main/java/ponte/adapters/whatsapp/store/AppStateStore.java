package ponte.adapters.whatsapp.store;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import ponte.adapters.whatsapp.appstate.CollectionState;

/**
 * A device's app-state sync material (protocol.md §1.17): the keys its primary shared (their data sealed at rest)
 * and, per collection, the version applied with its LTHash and the value MAC of every live record.
 */
public interface AppStateStore {

    /** One shared key: its id, its 32 bytes and the primary's timestamp (ms). */
    record SyncKey(byte[] keyId, byte[] keyData, long timestamp) {
        public SyncKey {
            keyId = keyId.clone();
            keyData = keyData.clone();
        }
    }

    /** Keeps shared keys; a key already kept is left as it is. */
    void saveSyncKeys(UUID deviceId, List<SyncKey> keys);

    /** A shared key's data by its id. */
    Optional<byte[]> syncKey(UUID deviceId, byte[] keyId);

    /** Whether the primary shared any key yet (app state cannot be read before). */
    boolean hasSyncKeys(UUID deviceId);

    /** The collection's state; {@link CollectionState#empty} when never synced. */
    CollectionState collection(UUID deviceId, String name);

    /** Replaces the collection's state (version, hash and record MACs) in one transaction. */
    void saveCollection(UUID deviceId, CollectionState state);
}
