package ponte.application.port.out;

import java.time.Instant;
import java.util.UUID;
import ponte.application.model.AuditEntry;
import ponte.application.model.Page;
import ponte.application.model.PageRequest;

/** The audit log's rows. */
public interface AuditLog {
    void append(AuditEntry entry);

    /** Newest first; {@code tenantId} null reads every tenant's (and the operator's own) entries. */
    Page<AuditEntry> list(UUID tenantId, PageRequest page);

    /** Forgets entries older than this; how many. */
    int purgeBefore(Instant before);
}
