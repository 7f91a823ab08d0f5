package ponte.adapters.persistence.jdbi;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import ponte.application.port.out.IdempotencyKeys;
import ponte.domain.message.IdempotencyKey;
import ponte.domain.message.MessageId;

/** The message_idempotency table: a key per instance, re-usable once it is older than the window. */
public final class JdbiIdempotencyKeys implements IdempotencyKeys {
    private final JdbiSession session;

    public JdbiIdempotencyKeys(JdbiSession session) {
        this.session = session;
    }

    @Override
    public Optional<MessageId> find(UUID instanceId, IdempotencyKey key, Instant since) {
        return session.withHandle(h -> h.createQuery("""
                        select message_id from message_idempotency
                        where instance_id = :instance and key = :key and created_at >= :since""")
                .bind("instance", instanceId).bind("key", key.value()).bind("since", Times.toDb(since))
                .mapTo(String.class).findOne().map(MessageId::new));
    }

    @Override
    public Optional<MessageId> claim(UUID instanceId, IdempotencyKey key, MessageId id, Instant now, Instant since) {
        return session.inTransaction(() -> session.withHandle(h -> {
            // a concurrent insert of the same key waits here for the other transaction, then sees its row
            int taken = h.createUpdate("""
                            insert into message_idempotency (instance_id, key, message_id, created_at)
                            values (:instance, :key, :id, :now)
                            on conflict (instance_id, key) do update
                                set message_id = excluded.message_id, created_at = excluded.created_at
                                where message_idempotency.created_at < :since""")
                    .bind("instance", instanceId).bind("key", key.value()).bind("id", id.value())
                    .bind("now", Times.toDb(now)).bind("since", Times.toDb(since))
                    .execute();
            if (taken == 1) {
                return Optional.<MessageId>empty();
            }
            return h.createQuery("select message_id from message_idempotency where instance_id = :instance "
                            + "and key = :key")
                    .bind("instance", instanceId).bind("key", key.value())
                    .mapTo(String.class).findOne().map(MessageId::new);
        }));
    }
}
