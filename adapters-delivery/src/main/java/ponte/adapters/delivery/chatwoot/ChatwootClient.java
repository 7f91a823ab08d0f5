package ponte.adapters.delivery.chatwoot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.UUID;
import ponte.adapters.delivery.egress.Egress;
import ponte.application.port.out.ChatwootInboxPort;
import ponte.domain.integration.ChatwootConfig;
import ponte.domain.integration.IntegrationStatus;

/**
 * Activates a Chatwoot configuration through Chatwoot's application API ({@code api_access_token} header): lists
 * the account's inboxes, which proves both the token and the account, then reuses the inbox of the configured name
 * or creates it as an API channel whose webhook points back at this gateway.
 */
public final class ChatwootClient implements ChatwootInboxPort, ponte.application.port.out.ChatwootApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API_CHANNEL = "Channel::Api";

    private final Egress http;
    private final URI publicUrl;
    private final Duration timeout;

    /** {@code http}: the outbound client, whose egress policy decides which Chatwoot addresses may be reached. */
    public ChatwootClient(Egress http, URI publicUrl, Duration timeout) {
        this.http = http;
        this.publicUrl = publicUrl;
        this.timeout = timeout;
    }

    @Override
    public Activation activate(UUID instanceId, ChatwootConfig config, String apiToken, String webhookSecret) {
        var inboxes = URI.create(config.baseUrl() + "/api/v1/accounts/" + config.accountId() + "/inboxes");
        try {
            var listed = send(HttpRequest.newBuilder(inboxes).GET(), apiToken);
            if (listed.statusCode() != 200) {
                return Activation.failed(refusal(config, listed.statusCode(), "list the inboxes of"));
            }
            var webhookUrl = webhookUrl(instanceId) + "?secret="
                    + java.net.URLEncoder.encode(webhookSecret, java.nio.charset.StandardCharsets.UTF_8);
            var existing = findInbox(JSON.readTree(listed.body()), config.inboxName());
            if (existing != null) {
                return reuse(existing, inboxes, webhookUrl, config, apiToken);
            }
            var body = JSON.createObjectNode().put("name", config.inboxName());
            body.putObject("channel").put("type", "api").put("webhook_url", webhookUrl);
            var created = send(HttpRequest.newBuilder(inboxes)
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                    .header("Content-Type", "application/json"), apiToken);
            if (created.statusCode() != 200 && created.statusCode() != 201) {
                return Activation.failed(refusal(config, created.statusCode(), "create the inbox '"
                        + config.inboxName() + "' in"));
            }
            var id = JSON.readTree(created.body()).path("id");
            return id.canConvertToLong() ? new Activation(IntegrationStatus.OK, id.asLong())
                    : Activation.failed("Chatwoot created the inbox but did not answer with its id; check "
                    + config.baseUrl() + " is a Chatwoot installation");
        } catch (Egress.Refused e) {
            return Activation.failed("Chatwoot at " + config.baseUrl() + " is not reached: " + e.getMessage());
        } catch (HttpTimeoutException e) {
            return Activation.failed("Chatwoot at " + config.baseUrl() + " did not answer within "
                    + timeout.toSeconds() + " s");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Activation.failed("the answer from " + config.baseUrl() + " is not Chatwoot's JSON; check "
                    + "base_url points at the Chatwoot installation");
        } catch (IOException e) {
            return Activation.failed("could not reach Chatwoot at " + config.baseUrl() + " ("
                    + e.getClass().getSimpleName() + "); check base_url and that the gateway can reach it");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Activation.failed("activation was interrupted; send the configuration again");
        }
    }

    /** The URL Chatwoot calls with agent replies for this instance. */
    private String webhookUrl(UUID instanceId) {
        var base = publicUrl.toString();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/chatwoot/webhook/"
                + instanceId;
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String apiToken)
            throws IOException, InterruptedException {
        return http.send(request.timeout(timeout).header("api_access_token", apiToken)
                .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode findInbox(JsonNode listing, String name) {
        for (var inbox : listing.path("payload")) {
            if (name.equals(inbox.path("name").asText(null)) && inbox.path("id").canConvertToLong()) {
                return inbox;
            }
        }
        return null;
    }

    /**
     * An inbox of the configured name is used only if it is an API inbox; one whose webhook points elsewhere (an
     * old gateway address, another gateway) is pointed back here, or agents' replies would never arrive.
     */
    private Activation reuse(JsonNode inbox, URI inboxes, String webhookUrl, ChatwootConfig config, String apiToken)
            throws IOException, InterruptedException {
        var id = inbox.path("id").asLong();
        if (!API_CHANNEL.equals(inbox.path("channel_type").asText())) {
            return Activation.failed("the inbox '" + config.inboxName() + "' of account " + config.accountId()
                    + " is a " + inbox.path("channel_type").asText("non-API") + " inbox, not an API inbox: choose "
                    + "another inbox_name (the gateway creates it)");
        }
        if (webhookUrl.equals(inbox.path("webhook_url").asText(null))) {
            return new Activation(IntegrationStatus.OK, id);
        }
        var body = JSON.createObjectNode();
        body.putObject("channel").put("webhook_url", webhookUrl);
        var updated = send(HttpRequest.newBuilder(URI.create(inboxes + "/" + id))
                .method("PATCH", HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .header("Content-Type", "application/json"), apiToken);
        return updated.statusCode() == 200 ? new Activation(IntegrationStatus.OK, id)
                : Activation.failed(refusal(config, updated.statusCode(), "point the webhook of inbox '"
                + config.inboxName() + "' at this gateway in"));
    }

    private static String refusal(ChatwootConfig config, int status, String action) {
        return switch (status) {
            case 401 -> "Chatwoot refused the api_token (HTTP 401): use the access token from the Profile Settings "
                    + "of a user of account " + config.accountId();
            case 403 -> "the api_token's user may not " + action + " account " + config.accountId()
                    + " (HTTP 403): use the token of an administrator of the account";
            case 404 -> "Chatwoot has no account " + config.accountId() + " for this token (HTTP 404): check "
                    + "account_id (the number in /app/accounts/<id>/ of Chatwoot's URLs)";
            default -> "Chatwoot answered HTTP " + status + " when asked to " + action + " account "
                    + config.accountId() + "; check base_url and Chatwoot's logs";
        };
    }

    // ---- the mirror's calls (ChatwootApi); paths and bodies as in Chatwoot's application_swagger.json

    @Override
    public java.util.Optional<Long> findContact(Account account, String phoneOrIdentifier) {
        var found = call(account, "GET", "/contacts/search?q=" + encode(phoneOrIdentifier), null);
        for (var contact : found.path("payload")) {
            if (phoneOrIdentifier.equals(contact.path("phone_number").asText(null))
                    || phoneOrIdentifier.equals(contact.path("identifier").asText(null))) {
                return java.util.Optional.of(contact.path("id").asLong());
            }
        }
        return java.util.Optional.empty();
    }

    @Override
    public long createContact(Account account, long inboxId, String name, String phoneE164, String identifier) {
        var body = JSON.createObjectNode().put("inbox_id", inboxId).put("name", name).put("identifier", identifier);
        if (phoneE164 != null) {
            body.put("phone_number", phoneE164);
        }
        var created = call(account, "POST", "/contacts", body);
        // Chatwoot answers {payload:{contact:{id,...}, contact_inbox:{...}}}
        var id = created.path("payload").path("contact").path("id");
        return idOf(id.isMissingNode() ? created.path("payload").path("id") : id, "contact");
    }

    @Override
    public java.util.Optional<String> conversationStatus(Account account, long conversationId) {
        try {
            var conversation = call(account, "GET", "/conversations/" + conversationId, null);
            return java.util.Optional.of(conversation.path("status").asText("open"));
        } catch (Failure e) {
            if (e.status() != null && e.status() == 404) {
                return java.util.Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public long createConversation(Account account, long inboxId, long contactId, String sourceId, String status) {
        var body = JSON.createObjectNode().put("source_id", sourceId).put("inbox_id", inboxId)
                .put("contact_id", contactId).put("status", status);
        return idOf(call(account, "POST", "/conversations", body).path("id"), "conversation");
    }

    @Override
    public void toggleStatus(Account account, long conversationId, String status) {
        call(account, "POST", "/conversations/" + conversationId + "/toggle_status",
                JSON.createObjectNode().put("status", status));
    }

    @Override
    public long createMessage(Account account, long conversationId, NewMessage message) {
        var path = "/conversations/" + conversationId + "/messages";
        if (message.attachment() == null) {
            var body = JSON.createObjectNode().put("content", message.content())
                    .put("message_type", message.outgoing() ? "outgoing" : "incoming")
                    .put("private", message.privateNote());
            if (message.sourceId() != null) {
                body.put("source_id", message.sourceId());
            }
            if (message.inReplyTo() != null) {
                body.putObject("content_attributes").put("in_reply_to", message.inReplyTo());
            }
            return idOf(call(account, "POST", path, body).path("id"), "message");
        }
        // a file goes as multipart/form-data, its fields as ordinary form fields (webhooks.md §4)
        var form = new Multipart();
        form.field("content", message.content());
        form.field("message_type", message.outgoing() ? "outgoing" : "incoming");
        form.field("private", Boolean.toString(message.privateNote()));
        if (message.sourceId() != null) {
            form.field("source_id", message.sourceId());
        }
        if (message.inReplyTo() != null) {
            form.field("content_attributes", "{\"in_reply_to\":" + message.inReplyTo() + "}");
        }
        try {
            form.file("attachments[]", message.attachment().fileName(), message.attachment().mimeType(),
                    message.attachment().body().readAllBytes());
        } catch (IOException e) {
            throw new Failure(null, "could not read the message's file: " + e.getClass().getSimpleName());
        }
        var request = HttpRequest.newBuilder(api(account, path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.finish()))
                .header("Content-Type", form.contentType());
        return idOf(answer(account, request).path("id"), "message");
    }

    @Override
    public java.util.Optional<Long> findMessage(Account account, long conversationId, String sourceId) {
        var listed = call(account, "GET", "/conversations/" + conversationId + "/messages", null);
        for (var message : listed.path("payload")) {
            if (sourceId.equals(message.path("source_id").asText(null))) {
                return java.util.Optional.of(message.path("id").asLong());
            }
        }
        return java.util.Optional.empty();
    }

    private JsonNode call(Account account, String method, String path, JsonNode body) {
        var request = HttpRequest.newBuilder(api(account, path));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            try {
                request.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                        .header("Content-Type", "application/json");
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return answer(account, request);
    }

    /** Sends through the same client as the activation; a non-2xx answer or no answer is a {@link Failure}. */
    private JsonNode answer(Account account, HttpRequest.Builder request) {
        try {
            var response = send(request, account.apiToken());
            if (response.statusCode() / 100 != 2) {
                throw new Failure(response.statusCode(), "Chatwoot answered HTTP " + response.statusCode() + " to "
                        + request.build().method() + " " + request.build().uri().getPath());
            }
            return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (HttpTimeoutException e) {
            throw new Failure(null, "Chatwoot at " + account.baseUrl() + " did not answer within "
                    + timeout.toSeconds() + " s");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new Failure(null, "the answer from " + account.baseUrl() + " is not Chatwoot's JSON");
        } catch (IOException e) {
            throw new Failure(null, "could not reach Chatwoot at " + account.baseUrl() + " ("
                    + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(null, "interrupted");
        }
    }

    private static URI api(Account account, String path) {
        return URI.create(account.baseUrl() + "/api/v1/accounts/" + account.accountId() + path);
    }

    private static long idOf(JsonNode id, String what) {
        if (!id.canConvertToLong()) {
            throw new Failure(null, "Chatwoot created the " + what + " but did not answer with its id");
        }
        return id.asLong();
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
    }
}
