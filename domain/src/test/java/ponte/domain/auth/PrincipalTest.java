package ponte.domain.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class PrincipalTest {
    private final UUID tenant = UUID.randomUUID();
    private final UUID instance = UUID.randomUUID();

    @Test
    void anAccountTokenReachesEveryInstanceOfItsTenantOnly() {
        var account = new Principal(TokenKind.ACCOUNT, UUID.randomUUID(), tenant, null);
        assertThat(account.mayReach(tenant, instance)).isTrue();
        assertThat(account.mayReach(tenant, UUID.randomUUID())).isTrue();
        assertThat(account.mayReach(UUID.randomUUID(), instance)).isFalse();
    }

    @Test
    void anInstanceTokenReachesItsOwnInstanceOnly() {
        var own = new Principal(TokenKind.INSTANCE, UUID.randomUUID(), tenant, instance);
        assertThat(own.mayReach(tenant, instance)).isTrue();
        assertThat(own.mayReach(tenant, UUID.randomUUID())).isFalse();
    }

    @Test
    void theAdminReachesNoInstance() {
        assertThat(Principal.admin().mayReach(tenant, instance)).isFalse();
    }

    @Test
    void aPrincipalMustHaveTheScopeItsKindImplies() {
        assertThatThrownBy(() -> new Principal(TokenKind.INSTANCE, UUID.randomUUID(), tenant, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Principal(TokenKind.ADMIN, null, tenant, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
