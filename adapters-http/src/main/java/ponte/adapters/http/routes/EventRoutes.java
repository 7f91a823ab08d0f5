package ponte.adapters.http.routes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import ponte.adapters.http.core.Access;
import ponte.adapters.http.core.Authenticator;
import ponte.adapters.http.core.Routes;
import ponte.adapters.http.dto.EventDtos;
import ponte.application.error.NotFoundException;
import ponte.application.model.DeliveryDetail;
import ponte.application.model.DeliveryStatus;
import ponte.application.port.in.UseCases;
import ponte.application.port.in.WebhookDeliveriesUseCase.DeliveryQuery;
import ponte.domain.event.EventType;
import ponte.domain.validation.ValidationException;

/** The event catalogue and the webhook delivery log. */
public final class EventRoutes {
    private static final String TAG = "Events";

    private EventRoutes() {}

    public static void register(Routes routes, UseCases useCases, ObjectMapper json) {
        routes.get("/v1/events/types").access(Access.ANY_TOKEN).tag(TAG).summary("List the event types")
                .description("The names accepted in `events` filters of webhooks and the WebSocket.")
                .returns(200, EventDtos.EventTypes.class)
                .handle(ctx -> ctx.json(new EventDtos.EventTypes(true, Arrays.stream(EventType.values())
                        .map(type -> new EventDtos.EventTypeView(type.wireName(), type.description())).toList())));
        var deliveries = useCases.deliveries();
        Paging.documented(routes.get("/v1/webhook-deliveries")).access(Access.ACCOUNT_OR_INSTANCE).tag(TAG)
                .summary("List webhook deliveries")
                .description("Newest first. The log outlives the instance's soft delete (filter by its id).")
                .query("instance", "Only this instance's (id or name)", String.class)
                .query("status", "pending, succeeded or failed", String.class)
                .query("event", "Only this event type", String.class)
                .returns(200, EventDtos.DeliveryListing.class).errors(400, 404)
                .handle(ctx -> {
                    var query = new DeliveryQuery(ctx.queryParam("instance"), status(ctx.queryParam("status")),
                            event(ctx.queryParam("event")));
                    var page = deliveries.list(Authenticator.principal(ctx), query, Paging.of(ctx));
                    ctx.json(new EventDtos.DeliveryListing(true, page.items().stream()
                            .map(EventDtos.DeliveryView::of).toList(), page.nextCursor()));
                });
        routes.get("/v1/webhook-deliveries/{id}").access(Access.ACCOUNT_OR_INSTANCE).tag(TAG)
                .summary("Get a webhook delivery with every attempt and the payload")
                .returns(200, EventDtos.DeliveryOne.class).errors(404)
                .handle(ctx -> ctx.json(new EventDtos.DeliveryOne(true, detail(json,
                        deliveries.get(Authenticator.principal(ctx), id(ctx.pathParam("id")))))));
        routes.post("/v1/webhook-deliveries/{id}/redeliver").access(Access.ACCOUNT_OR_INSTANCE).tag(TAG)
                .summary("Deliver again")
                .description("Queues the delivery again with a fresh retry schedule, whatever its state.")
                .returns(202, EventDtos.Redelivered.class).errors(404)
                .handle(ctx -> {
                    var id = id(ctx.pathParam("id"));
                    deliveries.redeliver(Authenticator.principal(ctx), id);
                    ctx.status(202).json(new EventDtos.Redelivered(true, id, "pending"));
                });
    }

    private static EventDtos.DeliveryDetailView detail(ObjectMapper json, DeliveryDetail detail) {
        var d = detail.delivery();
        try {
            return new EventDtos.DeliveryDetailView(d.id(), d.eventId(), d.event(), d.instanceId(), d.label(), d.url(),
                    EventDtos.status(d.status()), detail.attempts().stream().map(a -> new EventDtos.AttemptView(
                            a.at(), a.statusCode(), a.error(), a.durationMs())).toList(), d.attempts(),
                    d.nextAttemptAt(), d.lastStatusCode(), d.lastError(), d.createdAt(),
                    json.readTree(detail.payload()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored event is not JSON", e);
        }
    }

    private static UUID id(String raw) {
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("webhook delivery " + raw + " not found");
        }
    }

    /** A {@code status} query parameter: null when absent, 400 when not a delivery status. */
    static DeliveryStatus status(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return DeliveryStatus.valueOf(raw.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ValidationException.of("status", "must be pending, succeeded or failed");
        }
    }

    private static String event(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        return EventType.fromWire(raw).map(EventType::wireName)
                .orElseThrow(() -> ValidationException.of("event", "'" + raw + "' is not an event type"));
    }
}
