package ponte.adapters.whatsapp.store;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** One-time prekeys: generated in batches, uploaded, consumed by peers' first messages. */
public interface PreKeyStore {

    /** The highest prekey id ever stored for the device, 0 when none; new keys continue after it. */
    int lastPreKeyId(UUID deviceId);

    void savePreKeys(UUID deviceId, List<PreKey> preKeys);

    /** Up to {@code limit} stored keys the server has not been given yet, lowest id first. */
    List<PreKey> unuploadedPreKeys(UUID deviceId, int limit);

    void markUploaded(UUID deviceId, int upToId);

    int uploadedPreKeyCount(UUID deviceId);

    Optional<PreKey> preKey(UUID deviceId, int id);

    void removePreKey(UUID deviceId, int id);
}
