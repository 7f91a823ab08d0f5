package ponte.adapters.persistence.jdbi;

import java.util.function.Function;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import ponte.application.error.ConflictException;
import ponte.application.port.out.Transactions;

/**
 * Binds the open transaction's handle to the current (virtual) thread so that every store called inside a use
 * case's unit of work joins it; outside one, each call gets a short-lived handle of its own.
 */
public final class JdbiSession implements Transactions {
    private static final String UNIQUE_VIOLATION = "23505";

    private final Jdbi jdbi;
    private final ThreadLocal<Handle> current = new ThreadLocal<>();

    public JdbiSession(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        if (current.get() != null) {
            return work.get();
        }
        return jdbi.inTransaction(handle -> {
            current.set(handle);
            try {
                return work.get();
            } finally {
                current.remove();
            }
        });
    }

    public <T> T withHandle(Function<Handle, T> work) {
        var handle = current.get();
        return handle != null ? work.apply(handle) : jdbi.withHandle(work::apply);
    }

    public void useHandle(java.util.function.Consumer<Handle> work) {
        withHandle(handle -> {
            work.accept(handle);
            return null;
        });
    }

    /** Runs an insert or update, turning a unique violation into the conflict the caller can explain. */
    public void uniquely(java.util.function.Consumer<Handle> work, String conflictMessage) {
        try {
            useHandle(work);
        } catch (UnableToExecuteStatementException e) {
            if (e.getCause() instanceof java.sql.SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                throw new ConflictException(conflictMessage);
            }
            throw e;
        }
    }
}
