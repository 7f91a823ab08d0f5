package ponte.application.service;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Supplier;
import ponte.application.error.ConflictException;
import ponte.application.error.NotFoundException;
import ponte.application.error.UnavailableException;
import ponte.application.port.out.NodeCommandStore;
import ponte.application.port.out.NodeCommandStore.Command;
import ponte.application.port.out.NodeCommandStore.Outcome;
import ponte.application.port.out.RemoteSessions;
import ponte.application.port.out.SessionControlPort.PairingCode;
import ponte.domain.validation.ValidationException;

/**
 * The caller's side of the command table: writes the command for the owner node (which NOTIFY wakes), then waits
 * for its outcome, woken by the owner's NOTIFY ({@link #answered()}) and checking twice a second in case one was
 * missed, and answers as the owner did: its error is thrown here as the same kind.
 */
final class RemoteSessionsClient implements RemoteSessions {
    /** What the owner needs for a command that only starts or stops something. */
    private static final Duration COMMAND_WAIT = Duration.ofSeconds(10);
    /** A logout may first log in (up to 15 s) and then wait for the server's confirmation. */
    private static final Duration LOGOUT_WAIT = Duration.ofSeconds(35);
    private static final Duration RECHECK = Duration.ofMillis(500);

    private final NodeCommandStore store;
    private final Supplier<UUID> ids;
    private final Object monitor = new Object();
    private long answers;

    RemoteSessionsClient(NodeCommandStore store, Supplier<UUID> ids) {
        this.store = store;
        this.ids = ids;
    }

    /** Some node finished a command: the waiters look again. */
    void answered() {
        synchronized (monitor) {
            answers++;
            monitor.notifyAll();
        }
    }

    @Override
    public void start(UUID node, UUID instanceId) {
        call(node, instanceId, "start", null, COMMAND_WAIT);
    }

    @Override
    public void stop(UUID node, UUID instanceId) {
        call(node, instanceId, "stop", null, COMMAND_WAIT);
    }

    @Override
    public void logout(UUID node, UUID instanceId) {
        call(node, instanceId, "logout", null, LOGOUT_WAIT);
    }

    @Override
    public void discard(UUID node, UUID instanceId) {
        call(node, instanceId, "discard", null, COMMAND_WAIT);
    }

    @Override
    public void reconnect(UUID node, UUID instanceId) {
        call(node, instanceId, "reconnect", null, COMMAND_WAIT);
    }

    @Override
    public PairingCode pairingCode(UUID node, UUID instanceId, String phoneNumber, Duration wait) {
        var detail = call(node, instanceId, "pair_code", phoneNumber, wait.plus(COMMAND_WAIT));
        var parts = detail.split("\\|", 2);
        return new PairingCode(parts[0], Instant.parse(parts[1]));
    }

    private String call(UUID node, UUID instanceId, String kind, String argument, Duration wait) {
        var id = ids.get();
        store.submit(new Command(id, node, instanceId, kind, argument));
        try {
            return answer(await(id, node, wait));
        } finally {
            store.forget(id);
        }
    }

    private Outcome await(UUID id, UUID node, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (true) {
                long seen;
                synchronized (monitor) {
                    seen = answers;
                }
                var outcome = store.outcome(id);
                if (outcome.isPresent()) {
                    return outcome.get();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new UnavailableException("gateway node " + node + ", which runs this instance's session, "
                            + "did not answer within " + wait.toSeconds() + " s; try again");
                }
                synchronized (monitor) {
                    if (answers == seen) {
                        monitor.wait(Math.max(1, Math.min(left, RECHECK.toNanos()) / 1_000_000));
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while waiting for the node that runs the session");
        }
    }

    private static String answer(Outcome outcome) {
        var detail = outcome.detail() == null ? "" : outcome.detail();
        return switch (outcome.result()) {
            case "ok" -> detail;
            case "conflict" -> throw new ConflictException(detail);
            case "not_found" -> throw new NotFoundException(detail);
            case "validation" -> {
                var parts = detail.split("\\|", 2);
                throw ValidationException.of(parts[0], parts.length > 1 ? parts[1] : "is not valid");
            }
            default -> throw new UnavailableException(detail);
        };
    }

    /** The outcome a command's result or error is stored as, for {@link #answer} on the caller's node. */
    static Outcome outcomeOf(RuntimeException error) {
        return switch (error) {
            case ConflictException e -> new Outcome("conflict", e.getMessage());
            case NotFoundException e -> new Outcome("not_found", e.getMessage());
            case ValidationException e -> new Outcome("validation", e.violations().getFirst().field() + "|"
                    + e.violations().getFirst().problem());
            case UnavailableException e -> new Outcome("unavailable", e.getMessage());
            default -> new Outcome("unavailable", "the node that runs this instance's session failed the command");
        };
    }
}
