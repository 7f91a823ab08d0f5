package ponte.application.port.out;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import ponte.application.model.DeliveryAttempt;
import ponte.application.model.DeliveryStatus;
import ponte.domain.event.EventType;

/**
 * Pending webhook deliveries as a work queue shared by every node. A claim takes due rows with
 * {@code FOR UPDATE SKIP LOCKED} and leases them under a fresh token until {@code leaseUntil}; only the holder of
 * that token can record the outcome, so two nodes never run the same attempt together.
 */
public interface DeliveryQueue {
    List<ClaimedDelivery> claim(int max, Instant now, Instant leaseUntil, UUID claimToken);

    /** Records an attempt and moves the delivery on; false when the claim was lost (lease expired). */
    boolean recordAttempt(UUID deliveryId, UUID claimToken, DeliveryAttempt attempt, DeliveryStatus next,
                          Instant nextAttemptAt);

    /**
     * Records many attempts in one transaction (one commit for the lot): each inserts its attempt {@code number} and
     * moves its delivery on, unless its claim was lost. Returns, per outcome, whether it was recorded.
     */
    List<Boolean> recordAll(List<Outcome> outcomes);

    /** Gives a claimed delivery back without an attempt, due again at {@code until}. */
    void postpone(UUID deliveryId, UUID claimToken, Instant until);

    /**
     * Fails every pending delivery of a webhook at once (a claimed one too: its attempt, if it ends, is not
     * recorded), keeping them in the log with {@code error} as their last error; returns how many.
     */
    int failPending(UUID webhookId, String error, Instant now);

    /** Attempt {@code number} of a delivery held under {@code claimToken}, and where it leaves the delivery. */
    record Outcome(UUID deliveryId, UUID claimToken, int number, DeliveryAttempt attempt, DeliveryStatus next,
                   Instant nextAttemptAt) {}

    /** A leased delivery with what sending it needs; the webhook is null when it was deleted meanwhile. */
    record ClaimedDelivery(UUID id, UUID claimToken, UUID eventId, EventType event, String url, String payload,
                           int attempts, int roundAttempts, Instant roundStartedAt, Webhook webhook) {}

    /** {@code mediaBase64}: the subscriber wants received media embedded in message events. */
    record Webhook(byte[] sealedSecret, byte[] sealedAuthorization, Map<String, String> headers,
                   boolean mediaBase64) {}
}
