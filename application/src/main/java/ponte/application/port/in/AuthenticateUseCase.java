package ponte.application.port.in;

import ponte.domain.auth.Principal;

public interface AuthenticateUseCase {
    /** Who this bearer token acts as; unauthorized when it is unknown or revoked. */
    Principal authenticate(String token);
}
