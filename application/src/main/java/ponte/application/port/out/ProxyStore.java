package ponte.application.port.out;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import ponte.domain.proxy.ProxyProtocol;

/** The tenant proxy and the per-instance overrides, with passwords sealed before they get here. */
public interface ProxyStore {
    Optional<SealedProxy> tenantProxy(UUID tenantId);

    void saveTenantProxy(UUID tenantId, SealedProxy proxy);

    void deleteTenantProxy(UUID tenantId);

    Optional<SealedProxy> instanceProxy(UUID tenantId, UUID instanceId);

    void saveInstanceProxy(UUID tenantId, UUID instanceId, SealedProxy proxy);

    void deleteInstanceProxy(UUID tenantId, UUID instanceId);

    /** The tenant's live instances that have an override, oldest first. */
    List<InstanceOverride> overrides(UUID tenantId);

    /** The ids of all the tenant's live instances. */
    List<UUID> liveInstances(UUID tenantId);

    /** A proxy as stored: the password only as ciphertext. */
    record SealedProxy(ProxyProtocol protocol, String host, int port, String username, byte[] sealedPassword) {}

    record InstanceOverride(UUID instanceId, String instanceName, SealedProxy proxy) {}
}
