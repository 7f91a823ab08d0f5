package ponte.domain.message;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The status machine of one message we send: {@code queued → sent → delivered → read → played}, or
 * {@code failed} with a reason. Each method takes what happened and returns a {@link Change}: the new state and,
 * when it moved, the {@code message.status} event to publish; the caller stores both in one transaction.
 *
 * <p>Receipts arrive out of order and more than once (the server redelivers after a reconnect; every device of the
 * recipient sends one), so the rules are:
 * <ul>
 *   <li>only forward: a status at or behind the current one changes nothing and yields no event;</li>
 *   <li>skipping is fine: a {@code read} before {@code delivered} moves straight to {@code read}, which implies
 *       the rest; a receipt before our own ack first records {@code sent} (the server evidently took the
 *       message), so subscribers always see {@code sent} before any receipt;</li>
 *   <li>{@code failed} only from {@code queued} — once the server acked, the message exists in WhatsApp and
 *       cannot un-send — and it is final: a late ack or receipt changes nothing;</li>
 *   <li>in a group every member sends their own receipts: each member moves forward on their own (an event with
 *       {@code participant}), and the message's status is the furthest any member reached.</li>
 * </ul>
 *
 * @param members in a group, how far each member's receipts went
 * @param history every accepted change, oldest first
 */
public record OutgoingStatus(MessageId id, Jid chatJid, MessageStatus status, Optional<String> error,
                             Map<Jid, MessageStatus> members, List<StatusChange> history) {
    public OutgoingStatus {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(chatJid, "chatJid");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(error, "error");
        members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
        history = List.copyOf(history);
    }

    /**
     * What one step did: the state after it, and the {@code message.status} events it produced, in order (none when
     * nothing moved; two when a receipt overtook the server's ack: {@code sent}, then the receipt's status).
     */
    public record Change(OutgoingStatus state, List<MessageStatusChanged> events) {
        public Change {
            Objects.requireNonNull(state, "state");
            events = List.copyOf(events);
        }

        public boolean moved() {
            return !events.isEmpty();
        }

        private Change then(Change next) {
            var all = new ArrayList<>(events);
            all.addAll(next.events);
            return new Change(next.state, all);
        }
    }

    /** A message accepted into the outgoing queue with its id already fixed. */
    public static OutgoingStatus queued(MessageId id, Jid chatJid, Instant at) {
        return new OutgoingStatus(id, chatJid, MessageStatus.QUEUED, Optional.empty(), Map.of(),
                List.of(new StatusChange(MessageStatus.QUEUED, at, Optional.empty(), Optional.empty())));
    }

    /** The server acked the message ({@code <ack class=message>} without {@code error}). */
    public Change acked(Instant at) {
        return status == MessageStatus.QUEUED ? move(MessageStatus.SENT, Optional.empty(), Optional.empty(), at)
                : unchanged();
    }

    /** The send cannot go out (an ack with an error, an unknown recipient at send time, retries exhausted). */
    public Change failed(String reason, Instant at) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a failure needs a reason");
        }
        return status != MessageStatus.QUEUED ? unchanged()
                : move(MessageStatus.FAILED, Optional.empty(), Optional.of(reason), at);
    }

    /**
     * A receipt from the recipient: {@code delivered}, {@code read} or {@code played}.
     *
     * @param participant the member who sent it, in a group; null in a 1:1 chat (a device part is dropped: a
     *                    person's phone and computer report for the same person)
     */
    public Change receipt(MessageStatus reported, Jid participant, Instant at) {
        if (!reported.isReceipt()) {
            throw new IllegalArgumentException("a receipt reports delivered, read or played, not " + reported);
        }
        if (status == MessageStatus.FAILED) {
            return unchanged();
        }
        if (status == MessageStatus.QUEUED) {
            // the receipt overtook the server's ack (they race in on different paths): the recipient has the
            // message, so the server took it; announce sent first, so every subscriber sees the whole way
            var sent = acked(at);
            return sent.then(sent.state().receipt(reported, participant, at));
        }
        if (participant == null || !chatJid.isGroup()) {
            return reported.isAfter(status) ? move(reported, Optional.empty(), Optional.empty(), at) : unchanged();
        }
        var member = participant.toNonDevice();
        var before = members.getOrDefault(member, MessageStatus.SENT);
        if (!reported.isAfter(before)) {
            return unchanged();
        }
        var reached = new LinkedHashMap<>(members);
        reached.put(member, reported);
        var overall = reported.isAfter(status) ? reported : status;
        return step(new OutgoingStatus(id, chatJid, overall, error, reached, history), reported,
                Optional.of(member), Optional.empty(), at);
    }

    private Change move(MessageStatus target, Optional<Jid> participant, Optional<String> reason, Instant at) {
        return step(new OutgoingStatus(id, chatJid, target, reason, members, history), target, participant, reason,
                at);
    }

    private static Change step(OutgoingStatus next, MessageStatus reported, Optional<Jid> participant,
                               Optional<String> reason, Instant at) {
        var lines = new ArrayList<>(next.history);
        lines.add(new StatusChange(reported, at, participant, reason));
        var state = new OutgoingStatus(next.id, next.chatJid, next.status, next.error, next.members, lines);
        return new Change(state, List.of(new MessageStatusChanged(next.id, next.chatJid, participant, reported,
                reason, at)));
    }

    private Change unchanged() {
        return new Change(this, List.of());
    }
}
