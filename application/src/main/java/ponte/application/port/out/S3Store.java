package ponte.application.port.out;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import ponte.domain.integration.IntegrationStatus;
import ponte.domain.integration.S3Config;

/** One S3 media configuration per instance, its secret access key sealed. */
public interface S3Store {
    Optional<Stored> find(UUID tenantId, UUID instanceId);

    void save(UUID tenantId, UUID instanceId, Stored stored);

    /** Returns whether there was one to delete. */
    boolean delete(UUID tenantId, UUID instanceId);

    record Stored(S3Config config, byte[] sealedSecretAccessKey, IntegrationStatus status, Instant updatedAt) {}
}
