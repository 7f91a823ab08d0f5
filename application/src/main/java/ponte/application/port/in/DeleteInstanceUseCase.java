package ponte.application.port.in;

import ponte.domain.auth.Principal;

public interface DeleteInstanceUseCase {
    /** Soft delete: frees the name, revokes the instance's tokens; its delivery log stays. */
    void delete(Principal caller, String idOrName);
}
