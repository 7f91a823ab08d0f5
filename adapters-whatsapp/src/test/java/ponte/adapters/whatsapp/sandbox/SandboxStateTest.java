package ponte.adapters.whatsapp.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.sandbox.store.SandboxDevice;
import ponte.adapters.whatsapp.sandbox.store.SandboxStore;
import ponte.adapters.whatsapp.sandbox.store.sql.SqlSandboxStore;

class SandboxStateTest {

    @Test
    void aRestartedSandboxKeepsItsRootAndItsDevices() throws Exception {
        DataSource database = SandboxFixture.database();
        byte[] firstRoot;
        try (SandboxServer first = SandboxFixture.start(SqlSandboxStore.migrateAndOpen(database),
                SandboxFixture.fastOptions())) {
            firstRoot = first.trustRoot().publicKey();
            SqlSandboxStore.migrateAndOpen(database).phones().link(new SandboxDevice("15550001111", 2, "9911",
                    new byte[32], new byte[32]), "chrome", 2, Instant.now());
        }

        SandboxStore reopened = SqlSandboxStore.migrateAndOpen(database);
        try (SandboxServer second = SandboxFixture.start(reopened, SandboxFixture.fastOptions())) {
            assertThat(second.trustRoot().publicKey()).isEqualTo(firstRoot);
            assertThat(reopened.device("15550001111", 2)).map(SandboxDevice::lid).contains("9911");
        }
    }

    @Test
    void theSandboxTablesStayOutOfThePublicSchemaSoEitherMigrationMayRunFirst() throws Exception {
        DataSource database = SandboxFixture.database();

        SqlSandboxStore.migrateAndOpen(database);

        try (var connection = database.getConnection(); var statement = connection.createStatement();
                var rows = statement.executeQuery("""
                        select table_schema, count(*) from information_schema.tables
                        where table_schema in ('public', 'whatsapp') group by table_schema order by 1""")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("whatsapp");
            assertThat(rows.getInt(2)).isGreaterThanOrEqualTo(4);
            assertThat(rows.next()).isFalse();
        }
    }

    @Test
    void theFirstRefLastsSixtySecondsAndEachLaterOneTwenty() {
        Instant issued = Instant.parse("2026-11-21T06:00:00Z");
        PairingRefs refs = new PairingRefs(List.of("r0", "r1", "r2", "r3", "r4", "r5"), issued,
                PairingRefs.FIRST, PairingRefs.LATER);

        assertThat(refs.activeAt(issued.plusSeconds(59))).contains("r0");
        assertThat(refs.activeAt(issued.plusSeconds(60))).contains("r1");
        assertThat(refs.activeAt(issued.plusSeconds(79))).contains("r1");
        assertThat(refs.activeAt(issued.plusSeconds(80))).contains("r2");
        assertThat(refs.activeAt(issued.plusSeconds(159))).contains("r5");
        assertThat(refs.activeAt(issued.plusSeconds(160))).isEmpty();
        assertThat(refs.expiresAt()).isEqualTo(issued.plus(Duration.ofSeconds(160)));
    }
}
