package ponte.application.port.out;

import java.util.UUID;

/** New identifiers; time-ordered (UUIDv7) so ids sort by creation. */
public interface IdGenerator {
    UUID newId();
}
