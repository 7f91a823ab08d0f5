package ponte.application.port.out;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import ponte.domain.message.IdempotencyKey;
import ponte.domain.message.MessageId;

/** The callers' idempotency keys, per instance, each naming the message it was first used for. */
public interface IdempotencyKeys {

    /** The message the key was used for at or after {@code since}; empty when unused or older. */
    Optional<MessageId> find(UUID instanceId, IdempotencyKey key, Instant since);

    /**
     * Takes the key for {@code id} in the caller's transaction, unless it was used at or after {@code since} (a
     * concurrent send with the same key waits for the other's commit): empty when taken, otherwise the message that
     * holds it.
     */
    Optional<MessageId> claim(UUID instanceId, IdempotencyKey key, MessageId id, Instant now, Instant since);
}
