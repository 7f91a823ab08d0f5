package ponte.adapters.whatsapp.store;

import java.util.UUID;

/** The account a device is linked to, written at pair-success. */
public interface AccountStore {

    void saveAccount(UUID deviceId, DeviceAccount account);

    void savePushName(UUID deviceId, String pushName);

    /** Keeps the NCT salt our primary's history carried (protocol.md §1.18), replacing an older one. */
    void saveNctSalt(UUID deviceId, byte[] salt);

    /** The NCT salt kept for the device's account, if a history carried one. */
    java.util.Optional<byte[]> nctSalt(UUID deviceId);
}
