package ponte.application.port.out;

import java.util.UUID;
import ponte.domain.integration.ChatwootConfig;
import ponte.domain.integration.IntegrationStatus;

/** The Chatwoot installation an instance mirrors its conversations into. */
public interface ChatwootInboxPort {
    /**
     * Checks the token and the account, then finds the API inbox named {@code config.inboxName()} or creates it
     * with its webhook pointing back at this gateway for {@code instanceId}
     * ({@code <PONTE_PUBLIC_URL>/v1/chatwoot/webhook/{instance_id}?secret=<webhookSecret>}: Chatwoot's API channel
     * signs nothing, so the URL carries the secret). Never throws for a Chatwoot-side problem: it is reported as an
     * error status whose reason says what to fix.
     */
    Activation activate(UUID instanceId, ChatwootConfig config, String apiToken, String webhookSecret);

    record Activation(IntegrationStatus status, Long inboxId) {
        public static Activation failed(String reason) {
            return new Activation(IntegrationStatus.error(reason), null);
        }
    }
}
