package ponte.application.model;

import java.time.Instant;
import java.util.UUID;

/**
 * One delivery of an instance's Chatwoot mirror as its log shows it: {@code id} is its message event's id,
 * {@code kind} what was mirrored (as queued), {@code nextAttemptAt} null once it succeeded or failed,
 * {@code deliveredAt} set once it succeeded.
 */
public record ChatwootDelivery(UUID id, String messageId, String chatJid, String kind, DeliveryStatus status,
                               int attempts, String lastError, Instant nextAttemptAt, Instant deliveredAt,
                               Instant createdAt) {}
