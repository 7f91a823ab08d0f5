package ponte.application.port.in;

import ponte.application.model.AuditEntry;
import ponte.application.model.Page;
import ponte.application.model.PageRequest;

/** The audit log: who changed what. */
public interface AuditUseCase {
    /** Records one authenticated state-changing request (the id and time are given here). */
    void record(AuditEntry withoutIdAndTime);

    /**
     * The entries the caller may see, newest first: its own tenant's for an account token, every entry for the
     * admin token; forbidden to an instance token.
     */
    Page<AuditEntry> list(ponte.domain.auth.Principal caller, PageRequest page);
}
