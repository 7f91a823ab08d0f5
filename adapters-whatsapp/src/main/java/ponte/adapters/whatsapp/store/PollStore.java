package ponte.adapters.whatsapp.store;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The polls a device has seen, sent or received, with what it takes to read their votes later: the poll's secret
 * ({@code messageContextInfo.messageSecret}, 32 bytes, sealed at rest), its creator and its options.
 */
public interface PollStore {

    /**
     * A poll: its message id, its creator (account JID without device), its secret and options in order.
     */
    record KeptPoll(String messageId, String creatorJid, byte[] secret, List<String> options) {
        public KeptPoll {
            secret = secret.clone();
            options = List.copyOf(options);
        }

        @Override
        public byte[] secret() {
            return secret.clone();
        }
    }

    /**
     * Keeps {@code poll} unless one with its id is kept already; returns the one kept (the earlier one when there
     * was one, so a resend reuses its secret). A device that no longer exists keeps nothing.
     */
    KeptPoll keepPoll(UUID deviceId, KeptPoll poll);

    /** The poll kept under {@code messageId}, when any. */
    Optional<KeptPoll> poll(UUID deviceId, String messageId);
}
