package ponte.application.port.in;

import java.util.UUID;

public interface IssueAccountTokenUseCase {
    /** A further account token for a tenant; shown once. */
    String issue(UUID tenantId);
}
