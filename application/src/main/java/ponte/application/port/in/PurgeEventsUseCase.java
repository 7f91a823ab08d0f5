package ponte.application.port.in;

/** Retention: forgets finished deliveries and their events once they are older than the retention period. */
public interface PurgeEventsUseCase {
    int purgeExpired();
}
