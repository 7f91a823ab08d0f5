package ponte.application.port.in;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Both directions of the Chatwoot mirror. WhatsApp → Chatwoot: the dispatcher calls {@link #deliverDue} to make
 * the queued deliveries. Chatwoot → WhatsApp: the webhook route hands over what Chatwoot POSTed to
 * {@code /v1/chatwoot/webhook/{instance_id}}.
 */
public interface ChatwootSyncUseCase {
    /** Makes up to {@code max} due deliveries (at most one per chat); returns how many were tried. */
    int deliverDue(int max);

    /**
     * One call of Chatwoot's inbox webhook. {@code secret} is the {@code secret} query parameter of the URL the
     * gateway gave the inbox.
     *
     * @throws ponte.application.error.NotFoundException no instance of that id has a Chatwoot integration
     * @throws ponte.application.error.UnauthorizedException no or a wrong secret
     */
    Outcome receive(UUID instanceId, String secret, Webhook webhook);

    /**
     * Only the checks of {@link #receive}: that the instance has a Chatwoot integration and {@code secret} is its
     * webhook secret; the webhook route makes them before it reads the body.
     *
     * @throws ponte.application.error.NotFoundException no instance of that id has a Chatwoot integration
     * @throws ponte.application.error.UnauthorizedException no or a wrong secret
     */
    void checkSecret(UUID instanceId, String secret);

    /** What became of a webhook call; {@code detail} says why it was ignored or what was sent. */
    record Outcome(boolean acted, String detail) {}

    /**
     * The fields of Chatwoot's webhook body the gateway reads (webhooks.md §3): {@code event}; for
     * {@code message_created} the message ({@code id}, {@code content}, {@code message_type} as a string,
     * {@code private}, {@code source_id}, {@code content_attributes.in_reply_to}, {@code attachments[]}), its
     * {@code sender} (name and type: {@code user} for an agent) and its conversation ({@code conversation.id}, the
     * contact's phone number from {@code conversation.meta.sender.phone_number}); for {@code conversation_updated}
     * the conversation's {@code id} and whether {@code agent_last_seen_at} is set (the agent read it).
     */
    record Webhook(String event, Long messageId, String content, String messageType, boolean privateNote,
                   String sourceId, Long inReplyTo, List<Attachment> attachments, String senderName,
                   String senderType, Long conversationId, Optional<String> contactPhone, boolean agentSawIt) {
        public Webhook {
            attachments = attachments == null ? List.of() : List.copyOf(attachments);
            contactPhone = contactPhone == null ? Optional.empty() : contactPhone;
        }
    }

    /** An attachment of an agent's message: where Chatwoot serves it and its {@code file_type} (image, file...). */
    record Attachment(String dataUrl, String fileType) {}
}
