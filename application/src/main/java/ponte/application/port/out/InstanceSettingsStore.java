package ponte.application.port.out;

import java.util.Optional;
import java.util.UUID;
import ponte.domain.settings.InstanceSettings;

public interface InstanceSettingsStore {
    /** Empty when the instance never changed its settings: it runs on the defaults. */
    Optional<InstanceSettings> find(UUID tenantId, UUID instanceId);

    void save(UUID tenantId, UUID instanceId, InstanceSettings settings);
}
