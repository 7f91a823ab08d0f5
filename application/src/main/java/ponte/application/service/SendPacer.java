package ponte.application.service;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import ponte.domain.message.Jid;

/**
 * Spaces sends out: at most {@code perChat} a second into one chat and {@code perInstance} a second from one
 * instance. Each send reserves its slot; the next one in the same chat (or of the same instance) may start one
 * interval later. In memory: after a restart the pace starts afresh, which at most lets one interval's sends through
 * early. Not thread-safe: the sender's loop is its only user.
 */
final class SendPacer {
    private final Duration chatInterval;
    private final Duration instanceInterval;
    private final Map<UUID, Instant> instanceNext = new HashMap<>();
    private final Map<ChatKey, Instant> chatNext = new HashMap<>();

    SendPacer(int perChatPerSecond, int perInstancePerSecond) {
        this.chatInterval = Duration.ofNanos(1_000_000_000L / perChatPerSecond);
        this.instanceInterval = Duration.ofNanos(1_000_000_000L / perInstancePerSecond);
    }

    /** The earliest time the next send of {@code instance} into {@code chat} may start. */
    Instant earliest(UUID instance, Jid chat) {
        var forInstance = instanceNext.getOrDefault(instance, Instant.MIN);
        var forChat = chatNext.getOrDefault(new ChatKey(instance, chat), Instant.MIN);
        return forInstance.isAfter(forChat) ? forInstance : forChat;
    }

    /** A send started at {@code at}: it takes its chat's and its instance's slot. */
    void started(UUID instance, Jid chat, Instant at) {
        chatNext.put(new ChatKey(instance, chat), at.plus(chatInterval));
        instanceNext.put(instance, at.plus(instanceInterval));
    }

    /** Forgets slots that lie in the past (they no longer hold anything back). */
    void forgetBefore(Instant now) {
        chatNext.values().removeIf(next -> !next.isAfter(now));
        instanceNext.values().removeIf(next -> !next.isAfter(now));
    }

    private record ChatKey(UUID instance, Jid chat) {}
}
