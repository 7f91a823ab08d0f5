package ponte.application.port.out;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The command table between gateway nodes: a lifecycle command for an instance whose session another node runs is
 * one row addressed to that node, which claims it, carries it out and writes the outcome. Submitting and
 * completing each NOTIFY the other side (delivered on commit); each method is one statement.
 */
public interface NodeCommandStore {
    /** Writes a command for {@code node} and wakes it. */
    void submit(Command command);

    /** Claims the commands addressed to {@code node} that nobody claimed yet, oldest first. */
    List<Command> claim(UUID node);

    /** Records what the command came to and wakes the node waiting for it. */
    void complete(UUID commandId, Outcome outcome);

    /** The outcome, once the owner wrote it. */
    Optional<Outcome> outcome(UUID commandId);

    /** Forgets the command (its caller stopped waiting, or read the outcome). */
    void forget(UUID commandId);

    /**
     * One command.
     *
     * @param kind     start, stop, logout, discard, reconnect or pair_code
     * @param argument the phone number of pair_code; null otherwise
     */
    record Command(UUID id, UUID node, UUID instanceId, String kind, String argument) {}

    /**
     * What the owner answered.
     *
     * @param result ok, or the error class it threw: conflict, validation, not_found, unavailable
     * @param detail for ok, the pairing code and its expiry ({@code CODE|ISO instant}) of pair_code; for an error its
     *               message (validation: {@code field|problem})
     */
    record Outcome(String result, String detail) {}
}
