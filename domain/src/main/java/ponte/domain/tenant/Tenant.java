package ponte.domain.tenant;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import ponte.domain.validation.Violations;

/** A customer of the gateway: owns instances and account tokens, isolated from every other tenant. */
public record Tenant(UUID id, String name, int maxInstances, Instant createdAt) {
    public static final int MAX_NAME_LENGTH = 120;
    public static final int DEFAULT_MAX_INSTANCES = 100;

    public Tenant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(createdAt, "createdAt");
        validate(name, maxInstances);
    }

    public static void validate(String name, int maxInstances) {
        new Violations()
                .check(name != null && !name.isBlank(), "name", "is required")
                .check(name == null || name.length() <= MAX_NAME_LENGTH, "name", "must be at most 120 characters")
                .check(maxInstances >= 0, "max_instances", "must be zero or more")
                .throwIfAny();
    }

    /** The quota rule: a tenant may create an instance while it has fewer live ones than its limit. */
    public boolean admitsAnotherInstance(int liveInstances) {
        return liveInstances < maxInstances;
    }
}
