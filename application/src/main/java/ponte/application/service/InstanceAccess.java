package ponte.application.service;

import java.util.Optional;
import java.util.UUID;
import ponte.application.error.ForbiddenException;
import ponte.application.error.NotFoundException;
import ponte.application.port.out.InstanceStore;
import ponte.domain.auth.Principal;
import ponte.domain.instance.Instance;

/** Finds the instance a caller names, by UUID or name, and hides every instance the caller may not reach. */
final class InstanceAccess {
    private final InstanceStore instances;

    InstanceAccess(InstanceStore instances) {
        this.instances = instances;
    }

    Instance resolve(Principal caller, String idOrName) {
        if (caller.isAdmin()) {
            throw new ForbiddenException("the admin token manages tenants; use an account or instance token");
        }
        return lookup(caller.tenantId(), idOrName)
                .filter(instance -> caller.mayReach(instance.tenantId(), instance.id()))
                .orElseThrow(() -> new NotFoundException("instance '" + idOrName + "' not found"));
    }

    /** The live instance of this id in the caller's tenant, if any (no access check beyond the tenant). */
    Optional<Instance> find(Principal caller, UUID id) {
        return instances.find(caller.tenantId(), id);
    }

    private Optional<Instance> lookup(UUID tenantId, String idOrName) {
        var asId = parseUuid(idOrName);
        if (asId.isPresent()) {
            var byId = instances.find(tenantId, asId.get());
            if (byId.isPresent()) {
                return byId;
            }
        }
        return instances.findByName(tenantId, idOrName);
    }

    /** Admin tokens manage tenants, not their instances or events. */
    void requireTenantToken(Principal caller) {
        if (caller.isAdmin()) {
            throw new ForbiddenException("the admin token manages tenants; use an account or instance token");
        }
    }

    static Optional<UUID> parseUuid(String candidate) {
        try {
            return candidate != null && candidate.length() == 36 ? Optional.of(UUID.fromString(candidate))
                    : Optional.empty();
        } catch (IllegalArgumentException notUuid) {
            return Optional.empty();
        }
    }
}
