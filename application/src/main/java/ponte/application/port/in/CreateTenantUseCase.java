package ponte.application.port.in;

import ponte.domain.tenant.Tenant;

public interface CreateTenantUseCase {
    /** Creates a tenant and its first account token, which is returned here and never again. */
    CreatedTenant create(CreateTenantCommand command);

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
