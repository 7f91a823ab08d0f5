package ponte.application.model;

import java.time.Instant;
import java.util.Optional;

/**
 * How the account's own phone set a chat up, as app-state sync tells it (issue 12 §8): archived, pinned, muted
 * (until {@code mutedUntil}, or for ever when it is empty).
 */
public record ChatFlags(boolean archived, boolean pinned, boolean muted, Optional<Instant> mutedUntil) {

    /** A chat the phone never archived, pinned or muted. */
    public static final ChatFlags NONE = new ChatFlags(false, false, false, Optional.empty());
}
