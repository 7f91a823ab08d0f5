package ponte.adapters.http.dto;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import ponte.adapters.http.openapi.Doc;
import ponte.adapters.http.openapi.Nullable;
import ponte.application.model.Delivery;
import ponte.application.model.DeliveryStatus;

/** Event types and the webhook delivery log. */
public final class EventDtos {
    private EventDtos() {}

    public record EventTypeView(String name, String description) {}

    public record EventTypes(boolean success, List<EventTypeView> data) {}

    @Doc("One event's delivery to one webhook")
    public record DeliveryView(UUID id, UUID eventId, String event, UUID instanceId, @Nullable String label,
                               @Doc("The URL the event is POSTed to (with '/<event>' when by_events)") String url,
                               @Doc("pending, succeeded or failed (dead-lettered after the retry schedule)")
                               String status,
                               int attempts,
                               @Doc("When the next attempt is due; null once succeeded or failed")
                               @Nullable Instant nextAttemptAt,
                               @Nullable Integer lastStatusCode, @Nullable String lastError, Instant createdAt) {
        public static DeliveryView of(Delivery d) {
            return new DeliveryView(d.id(), d.eventId(), d.event(), d.instanceId(), d.label(), d.url(),
                    EventDtos.status(d.status()), d.attempts(), d.nextAttemptAt(), d.lastStatusCode(), d.lastError(),
                    d.createdAt());
        }
    }

    public record AttemptView(Instant at, @Doc("Null when the receiver did not answer") @Nullable Integer statusCode,
                              @Nullable String error, long durationMs) {}

    public record DeliveryDetailView(UUID id, UUID eventId, String event, UUID instanceId, @Nullable String label,
                                     String url,
                                     String status,
                                     @Doc("Every attempt, oldest first") List<AttemptView> attempts,
                                     @Doc("How many attempts were made") int attemptCount,
                                     @Nullable Instant nextAttemptAt, @Nullable Integer lastStatusCode,
                                     @Nullable String lastError,
                                     Instant createdAt,
                                     @Doc("The envelope exactly as it is POSTed") JsonNode payload) {}

    public record DeliveryListing(boolean success, List<DeliveryView> data,
                                  @Doc("Pass as ?cursor= to read the next page; null on the last page")
                                  @Nullable String nextCursor) {}

    public record DeliveryOne(boolean success, DeliveryDetailView delivery) {}

    public record Redelivered(boolean success, UUID deliveryId, String status) {}

    @Doc("A label (business accounts) as a label.update event names it")
    public record LabelView(@Doc("WhatsApp's id of the label") String id,
                            @Doc("Its name as last edited; null when never seen") @Nullable String name,
                            @Doc("WhatsApp's colour index (0-19); null when never seen") @Nullable Integer color) {}

    @Doc("The data of a label.update event: the account's phone edited or deleted a label, or put one on (added) "
            + "or took one off (removed) a chat or one message of it, as app-state sync told")
    public record LabelUpdateData(@Doc("edited, deleted, added or removed") String type, LabelView label,
                                  @Doc("The chat (added/removed)") @Nullable String chat,
                                  @Doc("The message within the chat, when the label is on a message")
                                  @Nullable String messageId) {}

    @Doc("The envelope of a label.update event, as POSTed to webhooks and sent on the WebSocket")
    public record LabelUpdateEvent(String eventId, @Doc("label.update") String event, String apiVersion,
                                   UUID tenantId, UUID instanceId, String instanceName, Instant occurredAt,
                                   LabelUpdateData data) {}

    public static String status(DeliveryStatus status) {
        return status.name().toLowerCase(java.util.Locale.ROOT);
    }
}
