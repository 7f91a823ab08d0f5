package ponte.application.port.in;

import java.util.List;
import java.util.Map;
import ponte.domain.auth.Principal;
import ponte.domain.event.EventFilter;
import ponte.domain.validation.Violations;
import ponte.domain.webhook.WebhookHeaders;
import ponte.domain.webhook.WebhookLabel;
import ponte.domain.webhook.WebhookSubscription;

/** Labelled webhooks of an instance: at most three enabled; secrets generated when absent and shown once. */
public interface ConfigureWebhooksUseCase {
    /** Conflict when the label exists. */
    WebhookResult create(Principal caller, String instance, WebhookCommand command);

    /**
     * Creates, or changes partially as every configuration PUT does: an absent field keeps the stored value (the
     * default when the label is new).
     */
    WebhookResult replace(Principal caller, String instance, String label, WebhookCommand command);

    void delete(Principal caller, String instance, String label);

    List<WebhookSubscription> list(Principal caller, String instance);

    WebhookSubscription get(Principal caller, String instance, String label);

    /**
     * Fields as sent; null means absent (kept on a change, the default on a new webhook: enabled, every event, no
     * headers). An empty {@code authorization} removes the stored one, empty {@code headers} the stored headers.
     */
    record WebhookCommand(WebhookLabel label, String url, Boolean enabled, EventFilter events, Boolean byEvents,
                          String authorization, String secret, Boolean mediaBase64, Map<String, String> headers) {
        public WebhookCommand {
            var violations = new Violations()
                    .check(secret == null || (secret.length() >= 16 && secret.length() <= 256), "secret",
                            "must be 16-256 characters")
                    .check(authorization == null || authorization.length() <= 4096, "authorization",
                            "must be at most 4096 characters")
                    .check(authorization == null || authorization.chars().noneMatch(c -> c == '\r' || c == '\n'),
                            "authorization", "must be a single line");
            WebhookHeaders.validate(headers, violations);
            violations.throwIfAny();
            headers = headers == null ? null : Map.copyOf(headers);
        }
    }

    /** The stored webhook, and its secret when this call generated it: the only time it is shown. */
    record WebhookResult(WebhookSubscription webhook, String generatedSecret) {}
}
