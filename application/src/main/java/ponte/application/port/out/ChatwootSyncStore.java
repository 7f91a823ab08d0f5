package ponte.application.port.out;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The Chatwoot mirror's durable state: its outbox (one delivery per message event of an instance whose Chatwoot
 * integration is enabled, taken in order per chat) with each delivery's attempts, and the mappings that make it
 * idempotent: WhatsApp person ↔ Chatwoot contact, chat ↔ conversation, WhatsApp message id ↔ Chatwoot message id.
 */
public interface ChatwootSyncStore {
    /**
     * In the caller's transaction: queues the message event {@code eventId} for the instance's Chatwoot, when the
     * instance has an enabled, activated integration. {@code kind} is the event's type ({@code received},
     * {@code sent}, {@code edited}, {@code revoked}, {@code reaction}, or {@code failed} for a send that failed);
     * {@code detail} the failure's reason. Returns whether a delivery was queued.
     */
    boolean enqueue(UUID tenantId, UUID instanceId, UUID eventId, String chatJid, String messageId, String kind,
                    String detail, Instant at);

    /**
     * Leases up to {@code max} due deliveries, at most one per chat and only the oldest pending one of its chat, so
     * a chat's deliveries succeed in the order they were queued.
     */
    List<Due> claim(int max, Instant now, Instant leaseUntil, UUID claimToken);

    /**
     * Records an attempt: {@code nextAttemptAt} null with {@code error} null is success, with an error it is given
     * up (failed); otherwise the delivery is due again then.
     */
    void recordAttempt(UUID deliveryId, UUID claimToken, String error, Instant nextAttemptAt, Instant now);

    /**
     * The instance's deliveries, newest first, optionally only those in {@code status}; finished ones last until
     * the event retention purges them.
     */
    ponte.application.model.Page<ponte.application.model.ChatwootDelivery> list(UUID instanceId, ponte.application.model.DeliveryStatus status,
                                              ponte.application.model.PageRequest page);


    Optional<Long> contact(UUID instanceId, String person);

    void saveContact(UUID instanceId, String person, long contactId);

    Optional<Long> conversation(UUID instanceId, String chatJid);

    void saveConversation(UUID instanceId, String chatJid, long conversationId);

    /** The chat a conversation mirrors. */
    Optional<String> chatOf(UUID instanceId, long conversationId);

    Optional<Long> chatwootMessage(UUID instanceId, String whatsappId);

    Optional<String> whatsappMessage(UUID instanceId, long chatwootId);

    /** The conversation mapped WhatsApp message {@code whatsappId} is in. */
    Optional<Long> messageConversation(UUID instanceId, String whatsappId);

    /**
     * Remembers that WhatsApp message {@code whatsappId} is Chatwoot message {@code chatwootId}; {@code origin}
     * says which side made it ({@code whatsapp} or {@code chatwoot}). False when either id is mapped already.
     */
    boolean saveMessage(UUID instanceId, String whatsappId, long chatwootId, long conversationId, String origin);

    /**
     * Remembers that WhatsApp message {@code whatsappId} is part {@code part} (1, 2 ...) of agent message
     * {@code chatwootId}: one of its further attachments, each sent as a WhatsApp message of its own. Only part 0
     * (saved by {@link #saveMessage}) is what {@link #whatsappMessage} answers. False when mapped already.
     */
    boolean saveMessagePart(UUID instanceId, String whatsappId, long chatwootId, int part, long conversationId);

    /** A delivery to make. {@code attempts}: made before this one. */
    record Due(UUID id, UUID claimToken, UUID tenantId, UUID instanceId, String chatJid, String messageId,
               String kind, String detail, int attempts, Instant createdAt) {}
}
