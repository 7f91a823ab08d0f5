package ponte.application.service;

import java.time.Clock;
import ponte.application.error.ForbiddenException;
import ponte.application.model.AuditEntry;
import ponte.application.model.Page;
import ponte.application.model.PageRequest;
import ponte.application.port.in.AuditUseCase;
import ponte.application.port.out.AuditLog;
import ponte.application.port.out.IdGenerator;
import ponte.domain.auth.Principal;

/** Writes and reads the audit log, scoped to the caller's tenant. */
final class AuditService implements AuditUseCase {
    private final AuditLog log;
    private final IdGenerator ids;
    private final Clock clock;

    AuditService(AuditLog log, IdGenerator ids, Clock clock) {
        this.log = log;
        this.ids = ids;
        this.clock = clock;
    }

    @Override
    public void record(AuditEntry entry) {
        log.append(new AuditEntry(ids.newId(), entry.tenantId(), entry.actorKind(), entry.actorTokenId(),
                entry.method(), entry.route(), entry.path(), entry.resourceId(), entry.status(), clock.instant()));
    }

    @Override
    public Page<AuditEntry> list(Principal caller, PageRequest page) {
        return switch (caller.kind()) {
            case ADMIN -> log.list(null, page);
            case ACCOUNT -> log.list(caller.tenantId(), page);
            case INSTANCE -> throw new ForbiddenException("the audit log is read with an account token");
        };
    }
}
