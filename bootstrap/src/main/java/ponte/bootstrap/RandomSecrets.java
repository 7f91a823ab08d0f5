package ponte.bootstrap;

import java.security.SecureRandom;
import java.util.Base64;
import ponte.application.port.out.SecretGenerator;

final class RandomSecrets implements SecretGenerator {
    private final SecureRandom random;

    RandomSecrets(SecureRandom random) {
        this.random = random;
    }

    @Override
    public String next(String prefix, int bytes) {
        var buffer = new byte[bytes];
        random.nextBytes(buffer);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(buffer);
    }
}
