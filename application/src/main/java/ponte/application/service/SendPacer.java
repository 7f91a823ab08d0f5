package ponte.application.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import ponte.domain.message.Jid;

/**
 * Paces sends: at most {@code perChat} start into one chat, and at most {@code perInstance} from one instance, in
 * any one second (a sliding window over the start times of the last second). A send that would be one too many
 * waits until the oldest start in its window is a second old.
 *
 * <p>A window, not a fixed spacing of one interval after the last start: a spacing counted from the moment the
 * sender's loop happened to run loses that loop's lateness on every send, so an instance sending at its full rate
 * fell behind (about 16 of its 20 a second went out, the rest queued up for seconds), and a message that came a few
 * milliseconds early waited for a slot although the second it falls in had room.
 *
 * <p>In memory: after a restart the pace starts afresh, which at most lets one second's sends through early. Not
 * thread-safe: the sender's loop is its only user.
 */
final class SendPacer {
    private static final Duration WINDOW = Duration.ofSeconds(1);

    private final int perChat;
    private final int perInstance;
    private final Map<UUID, ArrayDeque<Instant>> instanceStarts = new HashMap<>();
    private final Map<ChatKey, ArrayDeque<Instant>> chatStarts = new HashMap<>();

    SendPacer(int perChatPerSecond, int perInstancePerSecond) {
        this.perChat = perChatPerSecond;
        this.perInstance = perInstancePerSecond;
    }

    /** The earliest time the next send of {@code instance} into {@code chat} may start. */
    Instant earliest(UUID instance, Jid chat) {
        var forInstance = free(instanceStarts.get(instance), perInstance);
        var forChat = free(chatStarts.get(new ChatKey(instance, chat)), perChat);
        return forInstance.isAfter(forChat) ? forInstance : forChat;
    }

    /** A send started at {@code at}: it counts in its chat's and its instance's window for a second. */
    void started(UUID instance, Jid chat, Instant at) {
        record(chatStarts.computeIfAbsent(new ChatKey(instance, chat), k -> new ArrayDeque<>()), perChat, at);
        record(instanceStarts.computeIfAbsent(instance, k -> new ArrayDeque<>()), perInstance, at);
    }

    /** Forgets the starts that are a second old or older (they no longer hold anything back). */
    void forgetBefore(Instant now) {
        var cutoff = now.minus(WINDOW);
        chatStarts.values().removeIf(starts -> expire(starts, cutoff));
        instanceStarts.values().removeIf(starts -> expire(starts, cutoff));
    }

    /** When a window of at most {@code limit} starts has room again: at once, or when its oldest start ages out. */
    private static Instant free(ArrayDeque<Instant> starts, int limit) {
        return starts == null || starts.size() < limit ? Instant.MIN : starts.peekFirst().plus(WINDOW);
    }

    /** Keeps the last {@code limit} starts: only they can hold the next one back. */
    private static void record(ArrayDeque<Instant> starts, int limit, Instant at) {
        starts.addLast(at);
        while (starts.size() > limit) {
            starts.removeFirst();
        }
    }

    /** Drops the starts at or before {@code cutoff}; true when none is left. */
    private static boolean expire(ArrayDeque<Instant> starts, Instant cutoff) {
        while (!starts.isEmpty() && !starts.peekFirst().isAfter(cutoff)) {
            starts.removeFirst();
        }
        return starts.isEmpty();
    }

    private record ChatKey(UUID instance, Jid chat) {}
}
