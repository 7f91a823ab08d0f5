package ponte.adapters.http.dto;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import ponte.adapters.http.openapi.Doc;
import ponte.adapters.http.openapi.Example;
import ponte.adapters.http.openapi.Nullable;
import ponte.adapters.http.openapi.OneOf;
import ponte.domain.event.EventType;
import ponte.application.port.in.ConfigureWebhooksUseCase.WebhookCommand;
import ponte.domain.event.EventFilter;
import ponte.domain.webhook.WebhookLabel;
import ponte.domain.webhook.WebhookSubscription;

/** Request and response bodies of the webhook routes. */
public final class WebhookDtos {
    /** What write-only values show once they are set. */
    public static final String MASK = "***";

    private WebhookDtos() {}

    public record WebhookBody(
            @Doc("1-64 of A-Z, a-z, 0-9, '_' or '-'; required on POST, taken from the path on PUT")
            @Example("default") String label,
            @Doc("http(s) URL receiving the POSTs") @Example("https://crm.example.com/hooks/whatsapp") String url,
            @Doc("Default true; at most 3 enabled webhooks per instance") Boolean enabled,
            @Doc("Event types to deliver (GET /v1/events/types); empty or absent means all")
            @Example("[\"message.exchange\", \"instance.state\"]") @OneOf(EventType.class) List<String> events,
            @Doc("Append '/<event>' to the URL, e.g. .../message.exchange") Boolean byEvents,
            @Doc("Sent verbatim as the Authorization header; write-only; \"\" removes it")
            @Example("Bearer crm-api-key") String authorization,
            @Doc("HMAC-SHA256 key for X-Ponte-Signature (16-256 characters); write-only; generated when absent")
            @Example("a-shared-secret-of-32-characters") String secret,
            @Doc("Embed received media as base64 in message events") Boolean mediaBase64,
            @Doc("Extra headers sent with every POST") @Example("{\"X-Tenant\": \"acme\"}")
            Map<String, String> headers) {
        public WebhookCommand command() {
            return new WebhookCommand(label == null ? null : new WebhookLabel(label), url, enabled,
                    events == null ? null : EventFilter.parse("events", events), byEvents, authorization, secret,
                    mediaBase64, headers);
        }
    }

    public record WebhookView(String label, String url, boolean enabled,
                              @Doc("Empty means every event type") @OneOf(EventType.class) List<String> events,
                              boolean byEvents,
                              @Doc("'***' when set, null when not; never shown") @Nullable String authorization,
                              @Doc("Shown once, in the response that generated it; '***' afterwards") String secret,
                              boolean mediaBase64, Map<String, String> headers, Instant createdAt,
                              Instant updatedAt) {
        public static WebhookView of(WebhookSubscription webhook, String revealedSecret) {
            return new WebhookView(webhook.label().value(), webhook.url().toString(), webhook.enabled(),
                    webhook.events().wireNames(), webhook.byEvents(), webhook.hasAuthorization() ? MASK : null,
                    revealedSecret != null ? revealedSecret : MASK, webhook.mediaBase64(), webhook.headers(),
                    webhook.createdAt(), webhook.updatedAt());
        }
    }

    public record One(boolean success, WebhookView webhook) {}

    public record Listing(boolean success, List<WebhookView> data) {}

    public record WebSocketBody(@Doc("Required the first time; false clears events and media_base64 but keeps "
                                        + "the row")
                                Boolean enabled,
                                @Doc("Event types to send; empty or absent means all")
                                @Example("[\"message.exchange\"]") @OneOf(EventType.class) List<String> events,
                                @Doc("Embed received media as base64 in message events") Boolean mediaBase64) {}

    public record WebSocketView(boolean enabled, @OneOf(EventType.class) List<String> events, boolean mediaBase64,
                                Instant updatedAt) {
        public static WebSocketView of(ponte.domain.webhook.WebSocketConfig config) {
            return new WebSocketView(config.enabled(), config.events().wireNames(), config.mediaBase64(),
                    config.updatedAt());
        }
    }

    public record WebSocketOne(boolean success, WebSocketView websocket) {}
}
