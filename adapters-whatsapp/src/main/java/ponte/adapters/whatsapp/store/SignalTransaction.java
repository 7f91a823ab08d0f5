package ponte.adapters.whatsapp.store;

import java.util.Collection;
import java.util.Set;
import java.util.UUID;
import ponte.adapters.whatsapp.signal.SignalAddress;
import ponte.adapters.whatsapp.signal.SignalStore;

/**
 * One unit of work on a device's Signal state: the {@link SignalStore} that a {@code SessionCipher} or
 * {@code GroupCipher} runs on for one stanza, plus the decrypted message the stanza carried. Reads go to the
 * device store (and see this unit's own writes); writes are buffered in memory and reach the database only in
 * {@link #commit()}, all in one device-store transaction. A unit that is never committed leaves no trace.
 *
 * <h2>Why the ratchet and the message commit together here, and not in the ingest's transaction</h2>
 * The rule is "nothing acked before it is stored; nothing stored twice", and a ratchet step must be neither lost
 * (a crash after the ack but before the state is written would make the next messages undecryptable) nor replayed
 * (a crash after the state is written but before the message is would make the redelivered stanza a
 * {@code DUPLICATE} whose text is gone). Two ways were weighed:
 * <ol>
 * <li>Write the Signal state inside the application's ingest transaction. That needs the device store and the
 * application's event store to share one JDBC connection across two adapters that may not import each other,
 * a handle smuggled through the application's {@code Transactions} port, and the ingest's transaction held open
 * around the cryptography. It also still needs de-duplication, because a commit followed by a lost ack makes
 * WhatsApp redeliver anyway.</li>
 * <li>(chosen) Commit the ratchet step together with the <em>decrypted message</em> in the device store, then hand
 * the message to the ingest, which is idempotent on the message id, then ack. The device store alone decides what
 * was decrypted; the ingest alone decides what was published; each transaction is atomic on its own, and the
 * message id joins them.</li>
 * </ol>
 * What a crash at each point leaves behind, with the second design:
 * <ul>
 * <li>before {@code commit()}: nothing; WhatsApp redelivers (no ack), the stanza decrypts again from the same
 * state.</li>
 * <li>after {@code commit()}, before the ingest: the redelivered stanza is found by its key
 * ({@link SignalStateStore#keptMessage}) <em>before</em> decrypting (decrypting would fail as a duplicate);
 * its kept payload is ingested; {@link SignalStateStore#unhandedMessages} also finds it at the next connect.</li>
 * <li>after the ingest, before {@link SignalStateStore#markHandedOn} or the ack: the redelivery is ingested again
 * and the ingest, idempotent on the message id, stores nothing twice.</li>
 * <li>after the ack: WhatsApp does not redeliver; a stray redelivery finds the handed-on key and is only acked.</li>
 * </ul>
 * Sending follows the same rule the other way round: encrypt in a unit, {@code commit()}, and only then put the
 * bytes on the socket, so a counter is never used twice; a crash after the commit merely skips a counter, which
 * the peer's ratchet tolerates, and the resend (same message id, new ciphertext) is de-duplicated by the peer.
 *
 * <p>Concurrency: {@code commit()} writes a session or sender key only if its row is still at the version this
 * unit read (or still absent), consumes a one-time prekey only if it is still there, and keeps a message only if
 * its key is new; otherwise it rolls everything back and throws {@link SignalStateConflictException}, and the
 * caller retries the whole unit (decrypting again) on fresh state, as {@link SignalStateStore#inTransaction} does.
 * Units of one device should still run one at a time, as the client's serial executor does, so conflicts stay an
 * exception.
 *
 * <p>A unit is single-threaded and single-use: after {@code commit()}, or after it threw, make a new one.
 */
public interface SignalTransaction extends SignalStore {

    /** The device whose state this unit reads and writes (the instance id). */
    UUID deviceId();

    /**
     * Keeps a decrypted incoming message until the ingest has it, committed with this unit's ratchet steps.
     * {@code key} identifies the message as WhatsApp de-duplicates it (chat, sender and message id, in the
     * caller's own text form, at most 512 characters); {@code payload} is whatever the caller needs to rebuild
     * the event later (sealed at rest: it is message text).
     */
    void keepMessage(String key, byte[] payload);

    /**
     * Drops the sessions with a peer device at commit (if nobody advanced them meanwhile): what moving a session
     * from a peer's phone-number address to its LID address does with the old row.
     */
    void deleteSession(SignalAddress address);

    /**
     * The devices that hold our current sender key in {@code groupId}, as the addresses they were handed it under
     * (the group's addressing form), this unit's own changes included.
     */
    Set<SignalAddress> senderKeyHolders(String groupId);

    /** Records, at commit, that these devices now hold our current sender key in {@code groupId}. */
    void addSenderKeyHolders(String groupId, Collection<SignalAddress> holders);

    /** Forgets, at commit, every holder of our sender key in {@code groupId}: the key is being replaced. */
    void clearSenderKeyHolders(String groupId);

    /**
     * Writes everything this unit changed in one device-store transaction: sessions, identities, sender keys and
     * their holders, consumed prekeys and the kept message. Throws {@link SignalStateConflictException} when another
     * writer got there first (nothing is written then); any other failure also leaves the store as it was.
     */
    void commit();
}
