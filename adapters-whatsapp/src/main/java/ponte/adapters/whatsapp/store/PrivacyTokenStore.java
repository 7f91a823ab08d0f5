package ponte.adapters.whatsapp.store;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The trusted-contact privacy tokens contacts issued to a device (protocol.md §1.14 step 6), by contact user: the
 * user part of the PN or LID JID the token was minted for. Sealed at rest.
 */
public interface PrivacyTokenStore {

    /** A contact's token (its bytes) and when the contact minted it; replaces an older one. */
    record PrivacyToken(byte[] token, Instant issuedAt) {
    }

    /** Keeps {@code token} for {@code contactUser}; a device that no longer exists keeps nothing. */
    void savePrivacyToken(UUID deviceId, String contactUser, PrivacyToken token);

    /** The token kept for {@code contactUser}, when any. */
    Optional<PrivacyToken> privacyToken(UUID deviceId, String contactUser);
}
