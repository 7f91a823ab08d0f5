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
 */
public record MessagingSettings(int perChatPerSecond, int perInstancePerSecond, Duration pollInterval,
                                Duration ackTimeout, Duration lookupWait) {
    public static final MessagingSettings DEFAULTS = new MessagingSettings(1, 20, Duration.ofSeconds(1),
            Duration.ofSeconds(60), Duration.ofSeconds(10));

    public MessagingSettings {
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(ackTimeout, "ackTimeout");
        Objects.requireNonNull(lookupWait, "lookupWait");
        if (perChatPerSecond < 1 || perInstancePerSecond < 1) {
            throw new IllegalArgumentException("send rates are at least 1 per second");
        }
    }
}
