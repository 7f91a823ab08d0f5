package ponte.application.port.out;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import ponte.domain.message.Jid;
import ponte.domain.message.MessageId;

/**
 * What the messaging use cases ask of the WhatsApp engine that runs an instance's session on this node. Every call
 * names the instance by id; a session that is not running here, or not online, fails with {@link Offline} (the
 * caller keeps the message queued and tries again once the instance is online).
 */
public interface MessagingPort {

    /**
     * Asks the server which of these phone-number JIDs or LIDs are WhatsApp accounts (a usync {@code contact} query
     * for numbers, protocol.md §1.12; for a LID, whether the server lists any device of it), waiting at most
     * {@code wait}. One answer per asked JID, in the order asked.
     *
     * @throws Offline when the instance has no live session on this node
     */
    List<ContactLookup> lookup(UUID instanceId, List<Jid> phoneJids, Duration wait);

    /**
     * The server's answer for one asked JID: whether it is an account, the JID the server knows it by (for
     * Brazil's and Mexico's old and new mobile forms this may differ from the asked one) and its LID when told.
     */
    record ContactLookup(Jid asked, boolean exists, Optional<Jid> jid, Optional<Jid> lid) {}

    /**
     * Encrypts and sends one message with its id fixed by the caller (a resend after a crash is the same message
     * as far as WhatsApp can tell). The future completes with the server's timestamp once the server acked it, or
     * fails with {@link Offline} (not sent; try again later) or {@link Refused} (will never go out; the reason is
     * for the API's {@code error}).
     */
    CompletableFuture<Instant> send(UUID instanceId, WireMessage message);

    /**
     * One outgoing text message as the wire carries it.
     *
     * @param chat        the account JID (PN or LID) or group JID, resolved by the caller
     * @param linkPreview whether the sender may attach a preview of the first link
     * @param quoted      the message replied to, when replying
     * @param mentions    the accounts mentioned, as JIDs
     */
    record WireMessage(MessageId id, Jid chat, String text, boolean linkPreview, Optional<Quote> quoted,
                       List<Jid> mentions) {
        public WireMessage {
            mentions = List.copyOf(mentions);
        }
    }

    /** The quoted message of a reply: its id, who wrote it (its sender's JID) and its text when known. */
    record Quote(MessageId id, Jid sender, Optional<String> text) {}

    /**
     * Sends read receipts for these received messages of {@code chat}; {@code participant} is their sender in a
     * group. Fire and forget: the server does not ack receipts.
     *
     * @throws Offline when the instance has no live session on this node
     */
    void markRead(UUID instanceId, Jid chat, Optional<Jid> participant, List<MessageId> ids);

    /**
     * Whether the instance's account is a participant of {@code group} (a group metadata query, cached until a
     * {@code w:gp2} notification changes it). Empty when the group does not exist or we are not in it.
     *
     * @throws Offline when the instance has no live session on this node
     */
    Optional<GroupMembers> group(UUID instanceId, Jid group, Duration wait);

    /** A group's participants as the server lists them (account JIDs, PN or LID as the group addresses them). */
    record GroupMembers(Jid group, String subject, List<Jid> participants) {
        public GroupMembers {
            participants = List.copyOf(participants);
        }
    }

    /** The instance has no live session on this node: nothing went out. */
    final class Offline extends RuntimeException {
        public Offline(String message) {
            super(message);
        }
    }

    /** WhatsApp will not take this message (an error ack, an unknown recipient): it never goes out. */
    final class Refused extends RuntimeException {
        public Refused(String reason) {
            super(reason);
        }
    }
}
