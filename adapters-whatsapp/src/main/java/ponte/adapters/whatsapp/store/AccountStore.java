package ponte.adapters.whatsapp.store;

import java.util.UUID;

/** The account a device is linked to, written at pair-success. */
public interface AccountStore {

    void saveAccount(UUID deviceId, DeviceAccount account);

    void savePushName(UUID deviceId, String pushName);
}
