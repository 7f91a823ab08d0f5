package ponte.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import ponte.application.model.AccountToken;
import ponte.application.port.out.AdminCredentialStore;
import ponte.application.port.out.TokenStore;
import ponte.domain.auth.Principal;
import ponte.domain.auth.TokenKind;

/** A token's last use is written on its first request and then at most once a minute, however many requests. */
class TokenUseTest {
    private final EventScenariosTest.MovableClock clock =
            new EventScenariosTest.MovableClock(Instant.parse("2026-11-30T12:00:00Z"));
    private final Principal account = new Principal(TokenKind.ACCOUNT, UUID.randomUUID(), UUID.randomUUID(), null);
    private final List<Instant> writes = new ArrayList<>();
    private final AuthService auth = new AuthService(new OneToken(), new NoAdmin(), (prefix, bytes) -> prefix + "x",
            clock, Optional.of("configured-admin-token"));

    @Test
    void theLastUseMovesOncePerMinuteNotOncePerRequest() {
        for (int i = 0; i < 100; i++) {
            assertThat(auth.authenticate("ptk_account")).isEqualTo(account);
            clock.advance(Duration.ofMillis(500));
        }
        // 50 s of requests: the first one's time only
        assertThat(writes).containsExactly(Instant.parse("2026-11-30T12:00:00Z"));
        clock.advance(Duration.ofSeconds(10));
        auth.authenticate("ptk_account");
        auth.authenticate("ptk_account");
        assertThat(writes).containsExactly(Instant.parse("2026-11-30T12:00:00Z"),
                Instant.parse("2026-11-30T12:01:00Z"));
        // the admin token is no row: nothing to write
        auth.authenticate("configured-admin-token");
        assertThat(writes).hasSize(2);
    }

    private final class OneToken implements TokenStore {
        @Override
        public void insert(UUID id, Principal owner, byte[] tokenHash, Instant createdAt, String displayPrefix,
                           String label) {
        }

        @Override
        public Optional<Principal> findLive(byte[] tokenHash) {
            return java.util.Arrays.equals(tokenHash, TokenHash.of("ptk_account")) ? Optional.of(account)
                    : Optional.empty();
        }

        @Override
        public boolean isTaken(byte[] tokenHash) {
            return false;
        }

        @Override
        public void revokeForInstance(UUID instanceId, Instant at) {
        }

        @Override
        public void revokeForTenant(UUID tenantId, Instant at) {
        }

        @Override
        public List<AccountToken> liveAccountTokens(UUID tenantId) {
            return List.of();
        }

        @Override
        public boolean revokeAccountToken(UUID tenantId, UUID tokenId, Instant at) {
            return false;
        }

        @Override
        public void recordUse(UUID tokenId, Instant at) {
            assertThat(tokenId).isEqualTo(account.tokenId());
            writes.add(at);
        }
    }

    private static final class NoAdmin implements AdminCredentialStore {
        @Override
        public Optional<byte[]> hash() {
            return Optional.empty();
        }

        @Override
        public boolean storeIfAbsent(byte[] hash, Instant at) {
            return false;
        }
    }
}
