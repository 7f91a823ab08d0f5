package ponte.application.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import ponte.application.error.UnauthorizedException;
import ponte.application.port.in.AuthenticateUseCase;
import ponte.application.port.out.AdminCredentialStore;
import ponte.application.port.out.SecretGenerator;
import ponte.application.port.out.TokenStore;
import ponte.domain.auth.Principal;

/**
 * Resolves bearer tokens. The admin token is either configured (its hash is kept in memory only) or generated once
 * and stored hashed; account and instance tokens are looked up by hash.
 */
final class AuthService implements AuthenticateUseCase {
    /** A token's {@code last_used_at} is written at most this often (per node): usage is not a write per request. */
    static final Duration USE_RECORDED_EVERY = Duration.ofMinutes(1);

    private final TokenStore tokens;
    private final AdminCredentialStore adminCredential;
    private final SecretGenerator secrets;
    private final Clock clock;
    private final AtomicReference<byte[]> adminHash = new AtomicReference<>();
    /** When this node last wrote each token's use. */
    private final ConcurrentHashMap<UUID, Instant> useWritten = new ConcurrentHashMap<>();

    AuthService(TokenStore tokens, AdminCredentialStore adminCredential, SecretGenerator secrets, Clock clock,
                Optional<String> configuredAdminToken) {
        this.tokens = tokens;
        this.adminCredential = adminCredential;
        this.secrets = secrets;
        this.clock = clock;
        configuredAdminToken.map(TokenHash::of).ifPresent(adminHash::set);
    }

    @Override
    public Optional<String> ensureAdminToken() {
        if (adminHash.get() != null) {
            return Optional.empty();
        }
        var stored = adminCredential.hash();
        if (stored.isPresent()) {
            adminHash.set(stored.get());
            return Optional.empty();
        }
        var token = secrets.next(TokenPrefix.ADMIN, TokenPrefix.ENTROPY_BYTES);
        var hash = TokenHash.of(token);
        if (adminCredential.storeIfAbsent(hash, clock.instant())) {
            adminHash.set(hash);
            return Optional.of(token);
        }
        adminHash.set(adminCredential.hash().orElseThrow());
        return Optional.empty();
    }

    @Override
    public Principal authenticate(String token) {
        if (token == null || token.isBlank()) {
            throw new UnauthorizedException("a token is required: send Authorization: Bearer <token>");
        }
        var admin = adminHash.get();
        if (admin != null && TokenHash.matches(token, admin)) {
            return Principal.admin();
        }
        var principal = tokens.findLive(TokenHash.of(token))
                .orElseThrow(() -> new UnauthorizedException("the token is not valid"));
        recordUse(principal.tokenId());
        return principal;
    }

    /** Writes the token's use when this node has not written it within the last minute. */
    private void recordUse(UUID tokenId) {
        var now = clock.instant();
        var previous = useWritten.get(tokenId);
        if (previous != null && previous.plus(USE_RECORDED_EVERY).isAfter(now)) {
            return;
        }
        // one request of a burst wins the write; the others see its time
        boolean won = previous == null ? useWritten.putIfAbsent(tokenId, now) == null
                : useWritten.replace(tokenId, previous, now);
        if (won) {
            tokens.recordUse(tokenId, now);
        }
    }
}
