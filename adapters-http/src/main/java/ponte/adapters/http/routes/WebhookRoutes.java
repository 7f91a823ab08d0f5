package ponte.adapters.http.routes;

import com.fasterxml.jackson.databind.JsonNode;
import ponte.adapters.http.core.Access;
import ponte.adapters.http.core.Authenticator;
import ponte.adapters.http.core.Bodies;
import ponte.adapters.http.core.InlineBlock;
import ponte.adapters.http.core.Routes;
import ponte.adapters.http.dto.WebhookDtos;
import ponte.application.port.in.UseCases;
import ponte.domain.auth.Principal;
import ponte.domain.event.EventFilter;
import ponte.domain.instance.Instance;
import ponte.domain.validation.ValidationException;
import ponte.domain.webhook.WebhookLabel;

/** Labelled webhooks and the WebSocket configuration of an instance, and their inline blocks. */
public final class WebhookRoutes {
    private static final String TAG = "Webhooks";

    private WebhookRoutes() {}

    public static void register(Routes routes, UseCases useCases, Bodies bodies) {
        var webhooks = useCases.webhooks();
        routes.get("/v1/instances/{id}/webhooks").access(Access.ACCOUNT_OR_INSTANCE).tag(TAG)
                .summary("List an instance's webhooks").returns(200, WebhookDtos.Listing.class).errors(404)
                .handle(ctx -> ctx.json(new WebhookDtos.Listing(true, webhooks.list(Authenticator.principal(ctx),
                        ctx.pathParam("id")).stream().map(w -> WebhookDtos.WebhookView.of(w, null)).toList())));
        routes.post("/v1/instances/{id}/webhooks").access(Access.ACCOUNT_OR_INSTANCE).tag(TAG)
                .summary("Add a webhook")
                .description("The secret is generated when absent and shown only in this response.")
                .body(WebhookDtos.WebhookBody.class).returns(201, WebhookDtos.One.class).errors(404, 409)
                .handle(ctx -> {
                    var body = bodies.read(ctx, WebhookDtos.WebhookBody.class);
                    var result = webhooks.create(Authenticator.principal(ctx), ctx.pathParam("id"), body.command());
                    ctx.status(201).json(new WebhookDtos.One(true,
                            WebhookDtos.WebhookView.of(result.webhook(), result.generatedSecret())));
                });
        routes.get("/v1/instances/{id}/webhooks/{label}").access(Access.ACCOUNT_OR_INSTANCE).tag(TAG)
                .summary("Get a webhook").returns(200, WebhookDtos.One.class).errors(404)
                .handle(ctx -> ctx.json(new WebhookDtos.One(true, WebhookDtos.WebhookView.of(webhooks.get(
                        Authenticator.principal(ctx), ctx.pathParam("id"), ctx.pathParam("label")), null))));
        routes.put("/v1/instances/{id}/webhooks/{label}").access(Access.ACCOUNT_OR_INSTANCE).tag(TAG)
                .summary("Create or change a webhook")
                .description("A partial update: absent fields keep their stored value (the defaults for a new "
                        + "label); a generated secret is shown only in this response.")
                .body(WebhookDtos.WebhookBody.class).returns(200, WebhookDtos.One.class).errors(404)
                .handle(ctx -> {
                    var body = bodies.read(ctx, WebhookDtos.WebhookBody.class);
                    var result = webhooks.replace(Authenticator.principal(ctx), ctx.pathParam("id"),
                            ctx.pathParam("label"), body.command());
                    ctx.json(new WebhookDtos.One(true,
                            WebhookDtos.WebhookView.of(result.webhook(), result.generatedSecret())));
                });
        routes.delete("/v1/instances/{id}/webhooks/{label}").access(Access.ACCOUNT_OR_INSTANCE).tag(TAG)
                .summary("Delete a webhook").description("Its pending deliveries fail; the log keeps them.")
                .returns(204, null).errors(404)
                .handle(ctx -> {
                    webhooks.delete(Authenticator.principal(ctx), ctx.pathParam("id"), ctx.pathParam("label"));
                    ctx.status(204);
                });
        routes.get("/v1/instances/{id}/websocket").access(Access.ACCOUNT_OR_INSTANCE).tag(TAG)
                .summary("Get the WebSocket configuration").description("404 until it was configured once.")
                .returns(200, WebhookDtos.WebSocketOne.class).errors(404)
                .handle(ctx -> ctx.json(new WebhookDtos.WebSocketOne(true, WebhookDtos.WebSocketView.of(
                        useCases.websocket().get(Authenticator.principal(ctx), ctx.pathParam("id"))))));
        routes.put("/v1/instances/{id}/websocket").access(Access.ACCOUNT_OR_INSTANCE).tag(TAG)
                .summary("Configure the WebSocket and SSE feed")
                .description("A partial update: absent fields keep their value (`enabled` is required the "
                        + "first time). `enabled:false` clears `events` and `media_base64` and keeps the row; "
                        + "clients already connected stay connected.")
                .body(WebhookDtos.WebSocketBody.class).returns(200, WebhookDtos.WebSocketOne.class).errors(404)
                .handle(ctx -> ctx.json(new WebhookDtos.WebSocketOne(true, WebhookDtos.WebSocketView.of(
                        putWebSocket(useCases, Authenticator.principal(ctx), ctx.pathParam("id"),
                                bodies.read(ctx, WebhookDtos.WebSocketBody.class))))));
    }

    private static ponte.domain.webhook.WebSocketConfig putWebSocket(UseCases useCases, Principal caller,
                                                                     String instance, WebhookDtos.WebSocketBody body) {
        return useCases.websocket().put(caller, instance, new ponte.domain.webhook.WebSocketConfig.Patch(
                body.enabled(), body.events() == null ? null : EventFilter.parse("events", body.events()),
                body.mediaBase64()));
    }

    /** {@code webhook} on POST /v1/instances: creates the label 'default'. */
    public static InlineBlock webhookBlock(UseCases useCases, Bodies bodies) {
        return new InlineBlock() {
            @Override
            public String name() {
                return "webhook";
            }

            @Override
            public Class<?> requestType() {
                return WebhookDtos.WebhookBody.class;
            }

            @Override
            public Object apply(Principal caller, Instance instance, JsonNode block) {
                var body = bodies.fields(block, WebhookDtos.WebhookBody.class);
                if (body.label() != null && !body.label().equals(WebhookLabel.DEFAULT.value())) {
                    throw ValidationException.of("webhook.label", "the inline webhook is always labelled 'default'");
                }
                var command = body.command();
                var withLabel = new ponte.application.port.in.ConfigureWebhooksUseCase.WebhookCommand(
                        WebhookLabel.DEFAULT, command.url(), command.enabled(), command.events(), command.byEvents(),
                        command.authorization(), command.secret(), command.mediaBase64(), command.headers());
                var result = useCases.webhooks().create(caller, instance.id().toString(), withLabel);
                return WebhookDtos.WebhookView.of(result.webhook(), result.generatedSecret());
            }
        };
    }

    /** {@code websocket} on POST /v1/instances. */
    public static InlineBlock websocketBlock(UseCases useCases, Bodies bodies) {
        return new InlineBlock() {
            @Override
            public String name() {
                return "websocket";
            }

            @Override
            public Class<?> requestType() {
                return WebhookDtos.WebSocketBody.class;
            }

            @Override
            public Object apply(Principal caller, Instance instance, JsonNode block) {
                var body = bodies.fields(block, WebhookDtos.WebSocketBody.class);
                return WebhookDtos.WebSocketView.of(putWebSocket(useCases, caller, instance.id().toString(), body));
            }
        };
    }
}
