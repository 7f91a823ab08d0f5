package ponte.application.port.out;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import ponte.domain.auth.Principal;

/** Account and instance tokens, kept only as hashes. */
public interface TokenStore {
    /** Fails with a conflict when a live token already has this hash. */
    default void insert(UUID id, Principal owner, byte[] tokenHash, Instant createdAt) {
        insert(id, owner, tokenHash, createdAt, null, null);
    }

    /**
     * As {@link #insert(UUID, Principal, byte[], Instant)}, with what a person recognises the token by: its first
     * characters and an optional label (both may be null).
     */
    void insert(UUID id, Principal owner, byte[] tokenHash, Instant createdAt, String displayPrefix, String label);

    /** The tenant's live account tokens, newest first. */
    List<ponte.application.model.AccountToken> liveAccountTokens(UUID tenantId);

    /** Revokes a live account token of this tenant; false when there is none with this id. */
    boolean revokeAccountToken(UUID tenantId, UUID tokenId, Instant at);

    /** Notes that the token authenticated a request at this time. */
    void recordUse(UUID tokenId, Instant at);

    Optional<Principal> findLive(byte[] tokenHash);

    boolean isTaken(byte[] tokenHash);

    void revokeForInstance(UUID instanceId, Instant at);

    void revokeForTenant(UUID tenantId, Instant at);
}
