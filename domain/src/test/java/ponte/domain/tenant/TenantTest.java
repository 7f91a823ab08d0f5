package ponte.domain.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import ponte.domain.validation.ValidationException;

class TenantTest {
    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

    @Test
    void aTenantAdmitsInstancesUpToItsQuota() {
        var tenant = new Tenant(UUID.randomUUID(), "Acme", 2, NOW);
        assertThat(tenant.admitsAnotherInstance(1)).isTrue();
        assertThat(tenant.admitsAnotherInstance(2)).isFalse();
    }

    @Test
    void aBlankNameAndANegativeQuotaAreBothReported() {
        assertThatThrownBy(() -> new Tenant(UUID.randomUUID(), " ", -1, NOW))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations())
                        .extracting(v -> v.field()).containsExactly("name", "max_instances"));
    }
}
