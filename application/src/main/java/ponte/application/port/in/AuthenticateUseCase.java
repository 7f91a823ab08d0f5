package ponte.application.port.in;

import java.util.Optional;
import ponte.domain.auth.Principal;

/** Who a bearer token acts as, and the admin token every gateway needs. */
public interface AuthenticateUseCase {
    /** Who this bearer token acts as; unauthorized when it is unknown or revoked. */
    Principal authenticate(String token);

    /**
     * Makes sure an admin token exists. With none configured and none stored, generates one, stores its hash and
     * returns it: the only time it is ever shown.
     */
    Optional<String> ensureAdminToken();
}
