package ponte.application.port.out;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import ponte.domain.integration.ChatwootConfig;
import ponte.domain.integration.IntegrationStatus;

/** One Chatwoot configuration per instance, its API token sealed. */
public interface ChatwootStore {
    Optional<Stored> find(UUID tenantId, UUID instanceId);

    void save(UUID tenantId, UUID instanceId, Stored stored);

    /** Returns whether there was one to delete. */
    boolean delete(UUID tenantId, UUID instanceId);

    /**
     * {@code sealedWebhookSecret}: the secret Chatwoot's calls to {@code /v1/chatwoot/webhook/{instance_id}} carry,
     * sealed; null until the first activation makes one.
     */
    record Stored(ChatwootConfig config, byte[] sealedApiToken, Long inboxId, IntegrationStatus status,
                  Instant updatedAt, byte[] sealedWebhookSecret) {
        public Stored(ChatwootConfig config, byte[] sealedApiToken, Long inboxId, IntegrationStatus status,
                      Instant updatedAt) {
            this(config, sealedApiToken, inboxId, status, updatedAt, null);
        }
    }
}
