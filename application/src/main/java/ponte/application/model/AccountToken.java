package ponte.application.model;

import java.time.Instant;
import java.util.UUID;

/**
 * An account token as its tenant may see it: never the token itself, only what identifies it to a person.
 *
 * @param prefix     the token's first characters (its kind prefix and four more), null for tokens issued before
 *                   prefixes were kept
 * @param label      what the tenant called it, or null
 * @param lastUsedAt when it last authenticated a request, to the minute (written at most once a minute); null
 *                   when never used
 */
public record AccountToken(UUID id, String prefix, String label, Instant createdAt, Instant lastUsedAt) {}
