package ponte.application.port.out;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import ponte.application.model.Page;
import ponte.application.model.PageRequest;
import ponte.domain.tenant.Tenant;

public interface TenantStore {
    void insert(Tenant tenant);

    Optional<Tenant> find(UUID id);

    /** Locks the live tenant's row for the rest of the transaction, so quota checks cannot race. */
    Optional<Tenant> lock(UUID id);

    Page<Tenant> list(PageRequest page);

    void softDelete(UUID id, Instant at);
}
