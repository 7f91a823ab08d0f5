package ponte.application.port.in;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import ponte.domain.auth.Principal;
import ponte.domain.integration.ChatwootConfig;
import ponte.domain.integration.IntegrationStatus;
import ponte.domain.validation.Violations;

/** An instance's Chatwoot integration; the API token goes in and never comes out. */
public interface ChatwootConfigUseCase {
    Optional<ChatwootState> find(Principal caller, String idOrName);

    /**
     * Stores the configuration and, when enabled, activates it against Chatwoot. A failed activation is stored and
     * reported as an error status, never thrown.
     */
    ChatwootState configure(Principal caller, String idOrName, ConfigureChatwoot command);

    void remove(Principal caller, String idOrName);

    /**
     * The instance's Chatwoot deliveries (its mirror's outbox and log), newest first; {@code status} null for all.
     * An instance the caller cannot see is not found.
     */
    ponte.application.model.Page<ponte.application.model.ChatwootDelivery> deliveries(
            Principal caller, String idOrName, ponte.application.model.DeliveryStatus status,
            ponte.application.model.PageRequest page);

    /** A partial update: what {@code config} leaves out is kept; {@code apiToken} may be left out too. */
    record ConfigureChatwoot(ChatwootConfig.Patch config, String apiToken) {
        public ConfigureChatwoot {
            new Violations()
                    .check(apiToken == null || (!apiToken.isBlank() && apiToken.length() <= 512
                                    && apiToken.chars().allMatch(c -> c > 0x20 && c < 0x7f)), "api_token",
                            "must be the Chatwoot access token (at most 512 visible ASCII characters: it travels "
                                    + "in an HTTP header)")
                    .throwIfAny();
        }
    }

    record ChatwootState(UUID instanceId, ChatwootConfig config, Long inboxId, IntegrationStatus status,
                         Instant updatedAt) {}
}
