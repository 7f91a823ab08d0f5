package ponte.adapters.persistence.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import ponte.adapters.persistence.PersistenceAdapter;
import ponte.application.model.AuditEntry;
import ponte.application.model.PageRequest;
import ponte.domain.auth.TokenKind;
import ponte.testing.PostgresFixture;

/** The audit log on a real PostgreSQL: tenant scoping, cursor paging newest first, and the retention purge. */
class AuditLogTest {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    @Test
    void entriesAreReadPerTenantNewestFirstPageByPageAndPurgedByAge() {
        var db = PersistenceAdapter.migrateAndOpen(PostgresFixture.newDatabase().dataSource());
        var log = db.audit();
        var tenant = UUID.randomUUID();
        var other = UUID.randomUUID();
        var ids = new ArrayList<UUID>();
        for (int i = 0; i < 5; i++) {
            // ids ordered as the gateway's time-ordered ids are
            var id = new UUID(0x0190_0000_0000_7000L + i, 0x8000_0000_0000_0000L);
            ids.add(id);
            log.append(new AuditEntry(id, i == 2 ? other : tenant, TokenKind.ACCOUNT, UUID.randomUUID(), "POST",
                    "/v1/instances", "/v1/instances", null, 201, NOW.minusSeconds(3600L * 24 * (5 - i))));
        }
        var first = log.list(tenant, new PageRequest(2, null));
        assertThat(first.items()).extracting(AuditEntry::id).containsExactly(ids.get(4), ids.get(3));
        var second = log.list(tenant, new PageRequest(2, first.nextCursor()));
        assertThat(second.items()).extracting(AuditEntry::id).containsExactly(ids.get(1), ids.get(0));
        assertThat(second.nextCursor()).isNull();
        assertThat(log.list(other, PageRequest.first()).items()).extracting(AuditEntry::id)
                .containsExactly(ids.get(2));
        assertThat(log.list(null, PageRequest.first()).items()).hasSize(5);

        // older than three days: the first two go
        assertThat(log.purgeBefore(NOW.minusSeconds(3600L * 24 * 3))).isEqualTo(2);
        assertThat(log.list(null, PageRequest.first()).items()).extracting(AuditEntry::id)
                .containsExactly(ids.get(4), ids.get(3), ids.get(2));
    }
}
