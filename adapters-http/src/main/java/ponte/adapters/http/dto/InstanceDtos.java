package ponte.adapters.http.dto;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import ponte.adapters.http.openapi.Doc;
import ponte.adapters.http.openapi.Example;
import ponte.adapters.http.openapi.Nullable;
import ponte.adapters.http.openapi.SchemaOf;
import ponte.domain.instance.Instance;

/** Request and response bodies of the instance routes. */
public final class InstanceDtos {
    private InstanceDtos() {}

    public record CreateInstance(
            @Doc("1-64 characters of A-Z, a-z, 0-9, '_' or '-', not shaped like a UUID; unique among the tenant's "
                    + "live instances") @Example("support-line") String name,
            @Doc("A custom instance token (16-256 characters); generated when absent")
            @Example("pti_my-own-instance-token-0001") String token,
            @Doc("Free-form JSON object kept with the instance") @Example("{\"team\": \"support\"}")
            Map<String, Object> metadata,
            @Doc("The instance's proxy override, as PUT /v1/instances/{id}/proxy takes it")
            @Nullable @SchemaOf(ProxyDtos.ProxyBody.class) JsonNode proxy,
            @Doc("Settings, as PUT /v1/instances/{id}/settings takes them")
            @Nullable @SchemaOf(SettingsDtos.SettingsBody.class) JsonNode settings,
            @Doc("Inline webhook block, as POST /v1/instances/{id}/webhooks takes it; its label is always 'default'")
            @Nullable @SchemaOf(WebhookDtos.WebhookBody.class) JsonNode webhook,
            @Doc("Inline WebSocket block, as PUT /v1/instances/{id}/websocket takes it")
            @Nullable @SchemaOf(WebhookDtos.WebSocketBody.class) JsonNode websocket,
            @Doc("Chatwoot integration, as PUT /v1/instances/{id}/chatwoot takes it; a failed activation comes back "
                    + "as {status: error, error}")
            @Nullable @SchemaOf(IntegrationDtos.ChatwootBody.class) JsonNode chatwoot,
            @Doc("S3 media store, as PUT /v1/instances/{id}/s3 takes it; a failed check comes back as "
                    + "{status: error, error}") @Nullable @SchemaOf(IntegrationDtos.S3Body.class) JsonNode s3) {}

    public record InstanceView(UUID id, String name, String status,
                               @Doc("Why the instance is disconnected; null otherwise") @Nullable String statusReason,
                               @Nullable String phoneNumber, @Nullable String lid, @Nullable String pushName,
                               @Nullable String platform, @Nullable Instant lastSeenAt,
                               Map<String, Object> metadata, Instant createdAt, Instant updatedAt) {
        public static InstanceView of(Instance instance) {
            var account = instance.account();
            return new InstanceView(instance.id(), instance.name().value(), instance.status().wireName(),
                    instance.statusReason() == null ? null : instance.statusReason().wireName(),
                    account.phoneNumber(), account.lid(), account.pushName(), account.platform(),
                    instance.lastSeenAt(), instance.metadata(), instance.createdAt(), instance.updatedAt());
        }
    }

    public record CreatedInstanceView(UUID id, String name,
                                      @Doc("The instance token: shown only in this response") String token,
                                      String status, @Nullable String phoneNumber, Map<String, Object> metadata,
                                      Instant createdAt, Instant updatedAt) {}

    /** Each block is what its own route answers, or its error; null when the request had no such block. */
    public record Created(boolean success, CreatedInstanceView instance,
                          @Nullable @SchemaOf({ProxyDtos.InstanceProxyView.class, BlockError.class}) Object proxy,
                          @Nullable @SchemaOf({SettingsDtos.SettingsView.class, BlockError.class}) Object settings,
                          @Nullable @SchemaOf({WebhookDtos.WebhookView.class, BlockError.class}) Object webhook,
                          @Nullable @SchemaOf({WebhookDtos.WebSocketView.class, BlockError.class}) Object websocket,
                          @Nullable @SchemaOf({IntegrationDtos.ChatwootView.class, BlockError.class}) Object chatwoot,
                          @Nullable @SchemaOf({IntegrationDtos.S3View.class, BlockError.class}) Object s3) {}

    public record One(boolean success, InstanceDetail instance) {}

    /** What a failed inline block shows in its place (in this package: Jackson may read only the DTO package). */
    public record BlockError(@Doc("Always 'error'") String status,
                             @Doc("What went wrong and what to fix") String error) {}

    /** One instance with what is configured on it. */
    public record InstanceDetail(UUID id, String name, String status,
                                 @Doc("Why the instance is disconnected; null otherwise") @Nullable String statusReason,
                                 @Nullable String phoneNumber, @Nullable String lid, @Nullable String pushName,
                                 @Nullable String platform, @Nullable Instant lastSeenAt, Map<String, Object> metadata, Instant createdAt,
                                 Instant updatedAt, Integrations integrations,
                                 @Doc("The gateway node running its session (holding its lease; see GET /v1/nodes); "
                                         + "null when no node runs it") @Nullable UUID nodeId) {
        public static InstanceDetail of(InstanceView v, Integrations integrations, UUID nodeId) {
            return new InstanceDetail(v.id(), v.name(), v.status(), v.statusReason(), v.phoneNumber(), v.lid(),
                    v.pushName(), v.platform(), v.lastSeenAt(), v.metadata(), v.createdAt(), v.updatedAt(),
                    integrations, nodeId);
        }
    }

    public record Integrations(@Doc("Every webhook, secrets masked") List<WebhookDtos.WebhookView> webhooks,
                               @Doc("Null when never configured") @Nullable WebhookDtos.WebSocketView websocket,
                               @Doc("Null when not configured; never the api_token")
                               @Nullable IntegrationDtos.ChatwootView chatwoot,
                               @Doc("Null when not configured; never the secret_access_key")
                               @Nullable IntegrationDtos.S3View s3) {}

    public record Listing(boolean success, List<InstanceView> data,
                          @Doc("Pass as ?cursor= to read the next page; null on the last page") @Nullable String nextCursor) {}
}
