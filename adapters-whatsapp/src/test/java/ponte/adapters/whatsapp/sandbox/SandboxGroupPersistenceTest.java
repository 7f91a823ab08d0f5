package ponte.adapters.whatsapp.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.sandbox.store.sql.SqlSandboxStore;

/** A restarted sandbox still has its groups, with their members, roles and addressing, and carries their messages. */
class SandboxGroupPersistenceTest {

    private static final String ANA = "5511987655011";
    private static final String BRUNO = "5511987655012";
    private static final String CARLA = "5511987655013";

    @Test
    void aRestartedSandboxKeepsItsGroupsAndCarriesTheirMessages() throws Exception {
        DataSource database = SandboxFixture.database();
        String lidGroup;
        String pnGroup;
        try (SandboxServer first = SandboxFixture.start(SqlSandboxStore.migrateAndOpen(database),
                SandboxFixture.fastOptions())) {
            first.phones().create(ANA, "Ana");
            first.phones().create(BRUNO, "Bruno");
            first.phones().create(CARLA, "Carla");
            lidGroup = first.phones().createGroup(CARLA, "Trabalho", List.of(ANA, BRUNO), true);
            pnGroup = first.phones().createGroup(ANA, "Família", List.of(CARLA), false);
            first.phones().changeGroup(CARLA, lidGroup, "promote", List.of(BRUNO));
            first.phones().sendGroupText(CARLA, lidGroup, "antes");
            awaitReceived(first, BRUNO, 1);
        }

        try (SandboxServer second = SandboxFixture.start(SqlSandboxStore.migrateAndOpen(database),
                SandboxFixture.fastOptions())) {
            assertThat(second.phones().groupExists(lidGroup)).isTrue();
            assertThat(second.phones().groupMembers(lidGroup)).containsExactly(Map.entry(CARLA, "superadmin"),
                    Map.entry(ANA, ""), Map.entry(BRUNO, "admin"));
            assertThat(second.phones().groups(CARLA)).containsOnlyKeys(lidGroup, pnGroup);

            second.phones().sendGroupText(CARLA, lidGroup, "depois");
            second.phones().sendGroupText(BRUNO, lidGroup, "também");

            List<ReceivedMessage> atAna = awaitReceived(second, ANA, 2);
            assertThat(atAna).extracting(ReceivedMessage::text).containsExactlyInAnyOrder("depois", "também");
            String carlaLid = second.phones().phone(CARLA).orElseThrow().lid();
            // a LID-addressed group names its senders by LID
            assertThat(atAna).filteredOn(m -> m.text().equals("depois"))
                    .singleElement().satisfies(m -> {
                        assertThat(m.chat()).isEqualTo(lidGroup);
                        assertThat(m.fromDevice()).isEqualTo(carlaLid + "@lid");
                    });
        }
    }

    private static List<ReceivedMessage> awaitReceived(SandboxServer sandbox, String phone, int count)
            throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (sandbox.phones().received(phone).size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(phone + " received " + sandbox.phones().received(phone));
            }
            Thread.sleep(50);
        }
        return sandbox.phones().received(phone);
    }
}
