package ponte.application.port.in;

import java.util.Optional;
import java.util.UUID;

/** A stored event's JSON, for a live hub that heard of it from another node. */
public interface ReadEventUseCase {
    Optional<String> payload(UUID eventId);
}
