package ponte.adapters.whatsapp.store;

import java.util.Optional;
import java.util.UUID;

/** A device's credentials: created once, read at every connection, wiped at logout. */
public interface DeviceStore {

    Optional<StoredDevice> load(UUID deviceId);

    /** Stores new credentials; fails if the device already has some. */
    void create(UUID deviceId, DeviceCredentials credentials);

    void replaceAdvSecret(UUID deviceId, byte[] advSecret);

    /** Forgets the device: credentials, account and prekeys. A later connection starts a fresh registration. */
    void delete(UUID deviceId);
}
