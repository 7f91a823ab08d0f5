package ponte.application.port.out;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import ponte.domain.webhook.WebhookSubscription;

/** An instance's webhooks, with their write-only values kept sealed by {@link SecretCipher}. */
public interface WebhookStore {
    /** Serialises configuration changes of one instance, so the limit of enabled webhooks cannot race. */
    void lockInstance(UUID instanceId);

    /** Fails with a conflict when the instance already has this label. */
    void insert(StoredWebhook webhook);

    void update(StoredWebhook webhook);

    boolean delete(UUID instanceId, String label);

    Optional<StoredWebhook> find(UUID instanceId, String label);

    List<StoredWebhook> list(UUID instanceId);

    /** A webhook with its sealed secret and, when one is set, its sealed authorization value. */
    record StoredWebhook(WebhookSubscription subscription, byte[] sealedSecret, byte[] sealedAuthorization) {}
}
