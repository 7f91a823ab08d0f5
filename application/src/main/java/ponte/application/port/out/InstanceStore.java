package ponte.application.port.out;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import ponte.application.model.Page;
import ponte.application.model.PageRequest;
import ponte.domain.instance.Instance;

/** Live (not soft-deleted) instances, always read within one tenant ({@link SessionDirectory} reads across). */
public interface InstanceStore {
    /** Fails with a conflict when the tenant has a live instance of this name. */
    void insert(Instance instance);

    void update(Instance instance);

    Optional<Instance> find(UUID tenantId, UUID id);

    Optional<Instance> findByName(UUID tenantId, String name);

    /** The ids of the tenant's live instances. */
    java.util.List<UUID> liveIds(UUID tenantId);

    /** The tenant's live instances linked to a WhatsApp account, newest first. */
    java.util.List<Instance> listLinked(UUID tenantId);

    Page<Instance> list(UUID tenantId, String nameFilter, PageRequest page);

    int countLive(UUID tenantId);

    void softDelete(UUID id, Instant at);

    void softDeleteAllOfTenant(UUID tenantId, Instant at);
}
