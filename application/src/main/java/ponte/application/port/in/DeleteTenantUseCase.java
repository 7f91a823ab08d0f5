package ponte.application.port.in;

import java.util.UUID;

public interface DeleteTenantUseCase {
    /** Removes the tenant with its instances and revokes all of its tokens. */
    void delete(UUID id);
}
