package ponte.application.model;

import java.time.Instant;
import java.util.UUID;
import ponte.domain.auth.TokenKind;

/**
 * One authenticated state-changing request: who (the kind and id of its token; no id for the admin token), what
 * (method, route template, the concrete path and the resource it named or created), its outcome (the HTTP status)
 * and when. Never a body, a secret or a token.
 *
 * @param tenantId the tenant it concerns (the caller's, or the tenant an admin route named); null for the operator's
 *                 own routes
 */
public record AuditEntry(UUID id, UUID tenantId, TokenKind actorKind, UUID actorTokenId, String method, String route,
                         String path, String resourceId, int status, Instant at) {}
