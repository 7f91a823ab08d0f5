package ponte.application.port.in;

import java.util.UUID;
import ponte.application.model.Page;
import ponte.application.model.PageRequest;
import ponte.domain.tenant.Tenant;

/** Tenants, for the server operator (the admin token). */
public interface TenantsUseCase {
    /** Creates a tenant and its first account token, which is returned here and never again. */
    CreatedTenant create(CreateTenantCommand command);

    /** Tenants, newest first. */
    Page<Tenant> list(PageRequest page);

    /** Not found when there is no such tenant. */
    Tenant get(UUID id);

    /** Removes the tenant with its instances and revokes all of its tokens. */
    void delete(UUID id);

    record CreateTenantCommand(String name, Integer maxInstances) {
        public CreateTenantCommand {
            Tenant.validate(name, maxInstances == null ? Tenant.DEFAULT_MAX_INSTANCES : maxInstances);
        }

        public int effectiveMaxInstances() {
            return maxInstances == null ? Tenant.DEFAULT_MAX_INSTANCES : maxInstances;
        }
    }

    record CreatedTenant(Tenant tenant, String token) {}
}
