package ponte.adapters.http.dto;

/** The answer to Chatwoot's webhook calls. */
public final class ChatwootWebhookDtos {
    private ChatwootWebhookDtos() {}

    /** Whether the call made the gateway do something ({@code acted}), and what, or why it was ignored. */
    public record WebhookAnswer(boolean success, boolean acted, String detail) {}
}
