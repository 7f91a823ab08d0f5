package ponte.adapters.whatsapp.store;

/**
 * A {@link SignalTransaction} could not commit because the state it read changed meanwhile (another unit of the
 * same device committed first), or its message was already kept. Nothing of the unit was written: start a new
 * unit and run the whole operation again.
 */
public final class SignalStateConflictException extends RuntimeException {

    public SignalStateConflictException(String message) {
        super(message);
    }
}
