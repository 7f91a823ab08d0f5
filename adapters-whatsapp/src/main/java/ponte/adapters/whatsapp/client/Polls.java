package ponte.adapters.whatsapp.client;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import ponte.domain.message.Jid;
import ponte.adapters.whatsapp.crypto.CryptoException;
import ponte.adapters.whatsapp.proto.E2e;
import ponte.adapters.whatsapp.store.PollStore;
import ponte.adapters.whatsapp.store.PollStore.KeptPoll;

/**
 * The polls this device creates and sees, and the votes on them. A poll we send gets a fresh 32-byte secret
 * ({@code messageContextInfo.messageSecret}) unless one is kept under its id already (a resend after a crash is the
 * same poll); every poll sent or received is kept ({@link PollStore}) with its creator and options, so that a vote
 * arriving later can be opened ({@link PollVotes}) and its option hashes named.
 */
final class Polls {
    private static final System.Logger LOG = System.getLogger(Polls.class.getName());

    private final UUID deviceId;
    private final PollStore store;
    private final Supplier<byte[]> secrets;

    /** {@code secrets} draws a fresh 32-byte secret. */
    Polls(UUID deviceId, PollStore store, Supplier<byte[]> secrets) {
        this.deviceId = deviceId;
        this.store = store;
        this.secrets = secrets;
    }

    /** The same message, its poll (if it is one) given its secret and kept as ours (created by {@code self}). */
    OutgoingText withSecret(OutgoingText outgoing, Jid self) {
        var message = outgoing.content();
        var poll = creation(message);
        if (poll.isEmpty()) {
            return outgoing;
        }
        var kept = store.keepPoll(deviceId, new KeptPoll(outgoing.messageId(), self.toNonDevice().toString(),
                message.getMessageContextInfo().getMessageSecret().size() == 32
                        ? message.getMessageContextInfo().getMessageSecret().toByteArray() : secrets.get(),
                options(poll.get())));
        return outgoing.withContent(message.toBuilder().setMessageContextInfo(message.getMessageContextInfo()
                .toBuilder().setMessageSecret(ByteString.copyFrom(kept.secret()))).build());
    }

    /** Keeps a received (or own, from another device) poll, when it carries its secret. */
    void received(String messageId, Jid creator, E2e.Message message) {
        var poll = creation(message);
        if (poll.isEmpty() || message.getMessageContextInfo().getMessageSecret().size() != 32) {
            return;
        }
        store.keepPoll(deviceId, new KeptPoll(messageId, creator.toNonDevice().toString(),
                message.getMessageContextInfo().getMessageSecret().toByteArray(), options(poll.get())));
    }

    /**
     * The options a vote chose, by name; empty when the poll is unknown to this device or the vote does not open
     * (then nothing can be said about it).
     *
     * @param voter the voter's account JID, without device
     */
    Optional<List<String>> vote(E2e.PollUpdateMessage update, Jid voter) {
        var pollId = update.getPollCreationMessageKey().getId();
        var poll = store.poll(deviceId, pollId);
        if (poll.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "a vote on poll {0}, which this device never saw", pollId);
            return Optional.empty();
        }
        try {
            var chosen = PollVotes.open(poll.get().secret(), pollId, poll.get().creatorJid(),
                    voter.toNonDevice().toString(), update.getVote().getEncIv().toByteArray(),
                    update.getVote().getEncPayload().toByteArray());
            return Optional.of(PollVotes.names(poll.get().options(), chosen));
        } catch (CryptoException | IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "a vote on poll {0} does not open: {1}", pollId, e.getMessage());
            return Optional.empty();
        }
    }

    /** The poll a message creates, in any of its forms. */
    static Optional<E2e.PollCreationMessage> creation(E2e.Message m) {
        return m.hasPollCreationMessage() ? Optional.of(m.getPollCreationMessage())
                : m.hasPollCreationMessageV3() ? Optional.of(m.getPollCreationMessageV3())
                : m.hasPollCreationMessageV2() ? Optional.of(m.getPollCreationMessageV2()) : Optional.empty();
    }

    private static List<String> options(E2e.PollCreationMessage poll) {
        return poll.getOptionsList().stream().map(E2e.PollCreationMessage.Option::getOptionName).toList();
    }
}
