package ponte.application.service;

import java.time.Duration;
import java.util.Objects;

/**
 * How the outgoing queue is worked (API.md "Messages": paced per instance, in order per chat).
 *
 * @param perChatPerSecond     sends per second into one chat (default 1)
 * @param perInstancePerSecond sends per second of one instance across its chats (default 20)
 * @param pollInterval         how often the sender looks for due work when nothing wakes it (sends queued on
 *                             another node, instances that came online)
 * @param ackTimeout           how long a send may wait for the server's ack before it counts as not sent (it is
 *                             sent again with the same id)
 * @param lookupWait           how long a number check with the server may take
 * @param bodyRetention        how long message bodies are kept ({@code PONTE_MESSAGE_RETENTION_DAYS}, default 30
 *                             days); zero keeps metadata only. Older bodies are dropped by the sender's periodic
 *                             purge (every 10 minutes)
 */
public record MessagingSettings(int perChatPerSecond, int perInstancePerSecond, Duration pollInterval,
                                Duration ackTimeout, Duration lookupWait, Duration bodyRetention) {
    /** API.md: "{@code PONTE_MESSAGE_RETENTION_DAYS}, default 30". */
    public static final Duration DEFAULT_BODY_RETENTION = Duration.ofDays(30);
    public static final MessagingSettings DEFAULTS = new MessagingSettings(1, 20, Duration.ofSeconds(1),
            Duration.ofSeconds(60), Duration.ofSeconds(10), DEFAULT_BODY_RETENTION);

    public MessagingSettings {
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(ackTimeout, "ackTimeout");
        Objects.requireNonNull(lookupWait, "lookupWait");
        Objects.requireNonNull(bodyRetention, "bodyRetention");
        if (bodyRetention.isNegative()) {
            throw new IllegalArgumentException("body retention cannot be negative");
        }
        if (perChatPerSecond < 1 || perInstancePerSecond < 1) {
            throw new IllegalArgumentException("send rates are at least 1 per second");
        }
    }

    /** The settings with the default body retention. */
    public MessagingSettings(int perChatPerSecond, int perInstancePerSecond, Duration pollInterval,
                             Duration ackTimeout, Duration lookupWait) {
        this(perChatPerSecond, perInstancePerSecond, pollInterval, ackTimeout, lookupWait, DEFAULT_BODY_RETENTION);
    }
}
