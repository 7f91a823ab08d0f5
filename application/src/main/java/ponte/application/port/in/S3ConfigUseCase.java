package ponte.application.port.in;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import ponte.domain.auth.Principal;
import ponte.domain.integration.IntegrationStatus;
import ponte.domain.integration.S3Config;
import ponte.domain.validation.Violations;

/** An instance's S3 media store; the secret access key goes in and never comes out. */
public interface S3ConfigUseCase {
    Optional<S3State> find(Principal caller, String idOrName);

    /** Stores the configuration and, when enabled, checks the bucket with a real request; a failure is a status. */
    S3State configure(Principal caller, String idOrName, ConfigureS3 command);

    void remove(Principal caller, String idOrName);

    /** A partial update: what {@code config} leaves out is kept; {@code secretAccessKey} may be left out too. */
    record ConfigureS3(S3Config.Patch config, String secretAccessKey) {
        public ConfigureS3 {
            new Violations()
                    .check(secretAccessKey == null || (!secretAccessKey.isBlank() && secretAccessKey.length() <= 256),
                            "secret_access_key", "must be the secret access key (at most 256 characters)")
                    .throwIfAny();
        }
    }

    record S3State(UUID instanceId, S3Config config, IntegrationStatus status, Instant updatedAt) {}
}
