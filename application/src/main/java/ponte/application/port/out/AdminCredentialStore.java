package ponte.application.port.out;

import java.time.Instant;
import java.util.Optional;

/** The hash of the generated admin token; the token itself is never stored. */
public interface AdminCredentialStore {
    Optional<byte[]> hash();

    /** Stores the hash unless one exists; returns false when another node stored one first. */
    boolean storeIfAbsent(byte[] hash, Instant at);
}
