package ponte.adapters.http.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Optional;
import java.util.UUID;
import ponte.adapters.http.core.Access;
import ponte.adapters.http.core.Routes;
import ponte.adapters.http.dto.ChatwootWebhookDtos;
import ponte.application.error.NotFoundException;
import ponte.application.port.in.ChatwootSyncUseCase;
import ponte.domain.validation.ValidationException;

/**
 * {@code POST /v1/chatwoot/webhook/{instance_id}?secret=...}: what the instance's Chatwoot inbox calls. It carries no
 * token of ours; the per-instance secret the gateway put in the inbox's webhook URL authenticates it.
 */
public final class ChatwootWebhookRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChatwootWebhookRoutes() {}

    public static void register(Routes routes, ChatwootSyncUseCase sync) {
        routes.post("/v1/chatwoot/webhook/{instance_id}").access(Access.PUBLIC).tag("Chatwoot")
                .summary("Chatwoot's inbox webhook (agent replies to WhatsApp)")
                .description("Called by Chatwoot, not by API clients: the URL (with its `secret`) is set on the "
                        + "inbox when the integration is activated. `message_created` of an outgoing, non-private "
                        + "agent message is sent through WhatsApp (text, attachments, replies); an agent reading the "
                        + "conversation (`conversation_updated` with `agent_last_seen_at`) marks the chat read. "
                        + "Anything else is answered 200 and ignored. No or a wrong secret: 401, nothing sent.")
                .query("secret", "The instance's webhook secret, as put in the inbox's webhook URL", String.class)
                .returns(200, ChatwootWebhookDtos.WebhookAnswer.class).errors(400, 401, 404)
                .handle(ctx -> {
                    UUID instanceId;
                    try {
                        instanceId = UUID.fromString(ctx.pathParam("instance_id"));
                    } catch (IllegalArgumentException e) {
                        throw new NotFoundException("instance '" + ctx.pathParam("instance_id") + "' not found");
                    }
                    // who calls is settled before the body is read
                    sync.checkSecret(instanceId, ctx.queryParam("secret"));
                    JsonNode body;
                    try {
                        body = JSON.readTree(ctx.bodyAsBytes());
                    } catch (IOException e) {
                        throw ValidationException.of("body", "must be the JSON body of a Chatwoot webhook");
                    }
                    if (body == null || !body.isObject()) {
                        throw ValidationException.of("body", "must be the JSON body of a Chatwoot webhook");
                    }
                    var outcome = sync.receive(instanceId, ctx.queryParam("secret"), webhook(body));
                    ctx.json(new ChatwootWebhookDtos.WebhookAnswer(true, outcome.acted(), outcome.detail()));
                });
    }

    /** The fields of the payload the gateway reads (see {@link ChatwootSyncUseCase.Webhook}). */
    static ChatwootSyncUseCase.Webhook webhook(JsonNode body) {
        var event = text(body.path("event"));
        var conversation = body.path("conversation");
        Long conversationId = "message_created".equals(event) || "message_updated".equals(event)
                ? number(conversation.path("id")) : number(body.path("id"));
        if (conversationId == null) {
            conversationId = number(conversation.path("id"));
        }
        var attachments = new ArrayList<ChatwootSyncUseCase.Attachment>();
        for (var attachment : body.path("attachments")) {
            var url = text(attachment.path("data_url"));
            if (url != null) {
                attachments.add(new ChatwootSyncUseCase.Attachment(url, text(attachment.path("file_type"))));
            }
        }
        var meta = "message_created".equals(event) ? conversation.path("meta") : body.path("meta");
        var phone = Optional.ofNullable(text(meta.path("sender").path("phone_number")))
                .filter(p -> !p.isBlank());
        var attributes = body.path("content_attributes");
        return new ChatwootSyncUseCase.Webhook(event, "message_created".equals(event) ? number(body.path("id")) : null,
                text(body.path("content")), text(body.path("message_type")), body.path("private").asBoolean(false),
                text(body.path("source_id")), number(attributes.path("in_reply_to")), attachments,
                text(body.path("sender").path("available_name")) != null
                        ? text(body.path("sender").path("available_name")) : text(body.path("sender").path("name")),
                text(body.path("sender").path("type")), conversationId, phone,
                !body.path("agent_last_seen_at").isMissingNode() && !body.path("agent_last_seen_at").isNull());
    }

    private static String text(JsonNode node) {
        return node.isValueNode() && !node.isNull() ? node.asText() : null;
    }

    private static Long number(JsonNode node) {
        return node.canConvertToLong() || node.isTextual() && node.asText().matches("\\d{1,18}")
                ? Long.valueOf(node.asLong()) : null;
    }
}
