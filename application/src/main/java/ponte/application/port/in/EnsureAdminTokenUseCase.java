package ponte.application.port.in;

import java.util.Optional;

public interface EnsureAdminTokenUseCase {
    /**
     * Makes sure an admin token exists. With none configured and none stored, generates one, stores its hash and
     * returns it: the only time it is ever shown.
     */
    Optional<String> ensure();
}
