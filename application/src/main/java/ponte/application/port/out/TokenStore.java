package ponte.application.port.out;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import ponte.domain.auth.Principal;

/** Account and instance tokens, kept only as hashes. */
public interface TokenStore {
    /** Fails with a conflict when a live token already has this hash. */
    void insert(UUID id, Principal owner, byte[] tokenHash, Instant createdAt);

    Optional<Principal> findLive(byte[] tokenHash);

    boolean isTaken(byte[] tokenHash);

    void revokeForInstance(UUID instanceId, Instant at);

    void revokeForTenant(UUID tenantId, Instant at);
}
