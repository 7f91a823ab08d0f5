package ponte.adapters.http.dto;

import java.time.Instant;
import java.util.UUID;
import ponte.adapters.http.openapi.Doc;
import ponte.adapters.http.openapi.Example;
import ponte.adapters.http.openapi.Nullable;
import ponte.application.port.in.ChatwootConfigUseCase.ChatwootState;
import ponte.application.port.in.S3ConfigUseCase.S3State;
import ponte.domain.integration.ChatwootConfig;
import ponte.domain.integration.S3Config;

/** Request and response bodies of the Chatwoot and S3 routes; secrets go in and never come out. */
public final class IntegrationDtos {
    private IntegrationDtos() {}

    public record ChatwootDeliveryView(@Doc("The delivery's id, which is its message event's id") UUID id,
                                       @Doc("The WhatsApp message id") String messageId,
                                       @Doc("The chat's JID") String chatJid,
                                       @Doc("received, sent, edited, revoked, reaction, or failed (a send that "
                                               + "failed, shown as a private note)") String kind,
                                       @Doc("pending, succeeded or failed (given up after the retry schedule)")
                                       String status,
                                       int attempts,
                                       @Nullable String lastError,
                                       @Doc("When the next attempt is due; null once succeeded or failed")
                                       @Nullable Instant nextAttemptAt,
                                       @Doc("When Chatwoot took it; null unless succeeded")
                                       @Nullable Instant deliveredAt,
                                       Instant createdAt) {
        public static ChatwootDeliveryView of(ponte.application.model.ChatwootDelivery d) {
            return new ChatwootDeliveryView(d.id(), d.messageId(), d.chatJid(), d.kind(), EventDtos.status(d.status()),
                    d.attempts(), d.lastError(), d.nextAttemptAt(), d.deliveredAt(), d.createdAt());
        }
    }

    public record ChatwootDeliveryListing(boolean success, java.util.List<ChatwootDeliveryView> data,
                                          @Doc("Pass as ?cursor= to read the next page; null on the last page")
                                          @Nullable String nextCursor) {}

    public record ChatwootBody(
            @Doc("Default true; false stores the configuration without contacting Chatwoot") Boolean enabled,
            @Doc("URL of the Chatwoot installation, like https://chatwoot.example.com")
            @Example("https://chatwoot.example.com") String baseUrl,
            @Doc("Numeric id of the Chatwoot account") @Example("1") Long accountId,
            @Doc("Write-only: the access token of a Chatwoot user (administrator, to create the inbox); encrypted "
                    + "at rest; may be left out to keep the stored one") @Example("chatwoot-user-access-token") String apiToken,
            @Doc("Name of the API inbox to use; created when the account has none of this name")
            @Example("WhatsApp support") String inboxName,
            @Doc("Prefix messages sent by agents with their name") Boolean signMessages,
            @Doc("Do not mirror group chats") Boolean ignoreGroups,
            @Doc("Start new conversations as pending instead of open") Boolean conversationPending,
            @Doc("Reopen resolved conversations on a new message") Boolean reopenResolved) {
        public ChatwootConfig.Patch config() {
            return new ChatwootConfig.Patch(enabled, baseUrl, accountId, inboxName, signMessages, ignoreGroups,
                    conversationPending, reopenResolved);
        }
    }

    public record ChatwootView(UUID instanceId, boolean enabled, @Nullable String baseUrl, long accountId,
                               @Nullable String inboxName,
                               @Doc("The Chatwoot inbox found or created; null until activated") @Nullable Long inboxId,
                               boolean signMessages, boolean ignoreGroups, boolean conversationPending,
                               boolean reopenResolved,
                               @Doc("ok (activated), error (see status_reason) or disabled (enabled is false)")
                               String status,
                               @Doc("What to fix when status is error") @Nullable String statusReason,
                               Instant updatedAt) {
        public static ChatwootView of(ChatwootState state) {
            var c = state.config();
            return new ChatwootView(state.instanceId(), c.enabled(), c.baseUrl(), c.accountId(), c.inboxName(),
                    state.inboxId(), c.signMessages(), c.ignoreGroups(), c.conversationPending(), c.reopenResolved(),
                    state.status().state().wireName(), state.status().reason(), state.updatedAt());
        }
    }

    public record ChatwootResponse(boolean success, ChatwootView chatwoot) {}

    public record S3Body(
            @Doc("Default true; false stores the configuration without checking the bucket") Boolean enabled,
            @Doc("Default us-east-1") @Example("us-east-1") String region,
            @Example("whatsapp-media") String bucket,
            @Example("AKIAIOSFODNN7EXAMPLE") String accessKeyId,
            @Doc("Write-only: encrypted at rest; may be left out to keep the stored one")
            @Example("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY") String secretAccessKey,
            @Doc("For MinIO and other S3-compatible stores, like http://minio:9000; omit for AWS")
            @Example("http://minio:9000") String endpoint,
            @Doc("Key prefix, like media/") @Example("media/") String prefix,
            @Doc("Path-style URLs (bucket in the path); default true with an endpoint, false on AWS")
            Boolean pathStyle) {
        public S3Config.Patch config() {
            return new S3Config.Patch(enabled, region, bucket, accessKeyId, endpoint, prefix, pathStyle);
        }
    }

    public record S3View(UUID instanceId, boolean enabled, @Nullable String region, @Nullable String bucket,
                         @Nullable String accessKeyId, @Nullable String endpoint, @Nullable String prefix,
                         boolean pathStyle,
                         @Doc("ok (bucket checked), error (see status_reason) or disabled (enabled is false)")
                         String status,
                         @Doc("What to fix when status is error") @Nullable String statusReason,
                         Instant updatedAt) {
        public static S3View of(S3State state) {
            var c = state.config();
            return new S3View(state.instanceId(), c.enabled(), c.region(), c.bucket(), c.accessKeyId(),
                    c.endpoint(), c.prefix(), c.pathStyle(), state.status().state().wireName(),
                    state.status().reason(), state.updatedAt());
        }
    }

    public record S3Response(boolean success, S3View s3) {}
}
