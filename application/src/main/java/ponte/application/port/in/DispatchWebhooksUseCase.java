package ponte.application.port.in;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import ponte.domain.event.EventType;

/**
 * What the dispatcher's workers call: take due deliveries, then report how each attempt went; and the retention
 * that forgets what is finished.
 */
public interface DispatchWebhooksUseCase {
    /** Leases up to {@code max} due deliveries to this caller; deliveries whose webhook is gone fail here. */
    List<DueWebhook> claimDue(int max);

    /** A 2xx succeeds; anything else is retried by the schedule, then dead-lettered. */
    default void recordAttempt(DueWebhook delivery, AttemptResult result) {
        recordAttempts(List.of(new Attempted(delivery, result)));
    }

    /** The same for many attempts at once, stored together: what a busy dispatcher does. */
    void recordAttempts(List<Attempted> attempts);

    /** Hands a delivery back untried (circuit open, host busy), due again after {@code delay}. */
    void postpone(DueWebhook delivery, Duration delay);

    /** Forgets finished deliveries and their events once they are older than the retention period; how many. */
    int purgeExpired();

    /**
     * One POST to make; secret and authorization are opened only for it. {@code roundAttempts} attempts were made
     * since the retry round began at {@code roundStartedAt} (a redelivery starts a new round). With
     * {@code mediaBase64} the dispatcher embeds a message event's media file ({@code media.base64}) as it sends.
     */
    record DueWebhook(UUID deliveryId, UUID claimToken, UUID eventId, EventType event, String url, String payload,
                      String secret, String authorization, Map<String, String> headers, int attempt,
                      int roundAttempts, Instant roundStartedAt, boolean mediaBase64) {
        @Override
        public String toString() {
            return "DueWebhook[" + deliveryId + " " + event + " -> " + url + " attempt " + attempt + "]";
        }
    }

    record Attempted(DueWebhook delivery, AttemptResult result) {}

    /** A status code when the receiver answered; otherwise the error (timeout, refused, ...). */
    record AttemptResult(Integer statusCode, String error, long durationMs) {
        public boolean succeeded() {
            return statusCode != null && statusCode >= 200 && statusCode < 300;
        }
    }
}
