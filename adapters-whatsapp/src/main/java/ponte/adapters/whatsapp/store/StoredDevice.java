package ponte.adapters.whatsapp.store;

import java.util.Optional;
import java.util.UUID;

/** A device as loaded: its credentials and, once paired, its account. */
public record StoredDevice(UUID id, DeviceCredentials credentials, Optional<DeviceAccount> account) {
}
