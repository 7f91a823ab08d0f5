package ponte.adapters.whatsapp.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.store.DeviceAccount;
import ponte.adapters.whatsapp.store.DeviceCredentials;
import ponte.adapters.whatsapp.store.StaleEpochException;
import ponte.adapters.whatsapp.store.TestCipher;
import ponte.testing.PostgresFixture;

/**
 * Issue 14: the device store's writes carry the lease epoch of the node that makes them. Two nodes share one
 * database, each with the store fenced by the leases it believes it holds: once the new owner wrote with a higher
 * epoch, the old one (back from a long pause, still believing in its lease) can write neither Signal state nor
 * device state, and nothing of its refused writes is kept.
 */
class DeviceFenceTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static SqlDeviceStore plain;

    private final Map<UUID, Long> heldByA = new ConcurrentHashMap<>();
    private final Map<UUID, Long> heldByB = new ConcurrentHashMap<>();
    private final SqlDeviceStore nodeA = plain.fencedBy(id -> epoch(heldByA, id));
    private final SqlDeviceStore nodeB = plain.fencedBy(id -> epoch(heldByB, id));

    @BeforeAll
    static void openStore() {
        plain = SqlDeviceStore.migrateAndOpen(PostgresFixture.newDatabase().dataSource(), new TestCipher(),
                Clock.systemUTC());
    }

    @Test
    void aNodeThatLostTheLeaseCannotWriteOnceTheNewOwnerHas() {
        UUID id = UUID.randomUUID();
        heldByA.put(id, 1L);
        nodeA.create(id, DeviceCredentials.generate(RANDOM));
        nodeA.saveAccount(id, new DeviceAccount("5511999990000:3@s.whatsapp.net", "123456789012345:3@lid",
                "android", "", "Ana", new byte[] {1, 2, 3}));
        keep(nodeA, id, "before");

        // the lease moves to B (epoch 2), which writes; A still believes it holds epoch 1
        heldByB.put(id, 2L);
        nodeB.savePushName(id, "Ana (B)");

        assertThatThrownBy(() -> nodeA.savePushName(id, "stale")).isInstanceOf(StaleEpochException.class)
                .hasMessageContaining("epoch 1 is stale");
        assertThatThrownBy(() -> keep(nodeA, id, "stale")).as("a Signal unit of work")
                .isInstanceOf(StaleEpochException.class);
        assertThatThrownBy(() -> nodeA.saveLidMapping(id, "5511999990001", "99"))
                .isInstanceOf(StaleEpochException.class);
        assertThat(plain.keptMessage(id, "stale")).as("nothing of the refused unit is kept").isEmpty();
        assertThat(plain.lidOf(id, "5511999990001")).isEmpty();
        assertThat(plain.load(id).orElseThrow().account().orElseThrow().pushName()).isEqualTo("Ana (B)");

        keep(nodeB, id, "after");
        assertThat(plain.keptMessage(id, "before")).isPresent();
        assertThat(plain.keptMessage(id, "after")).as("the owner goes on writing").isPresent();
        // a write of the old owner that the new one has not overtaken yet still counts: B re-takes at 3 only later
        heldByA.put(id, 3L);
        nodeA.savePushName(id, "Ana (A again)");
        assertThatThrownBy(() -> nodeB.savePushName(id, "stale B")).isInstanceOf(StaleEpochException.class);
    }

    @Test
    void aNodeThatHoldsNoLeaseWritesNothing() {
        UUID id = UUID.randomUUID();
        assertThatThrownBy(() -> nodeA.create(id, DeviceCredentials.generate(RANDOM)))
                .isInstanceOf(StaleEpochException.class).hasMessageContaining("holds no lease");
        assertThat(plain.load(id)).isEmpty();

        plain.create(id, DeviceCredentials.generate(RANDOM));
        assertThat(plain.load(id)).as("the unfenced store (one process, no leases) writes as before").isPresent();
    }

    private static void keep(SqlDeviceStore store, UUID id, String key) {
        var unit = store.begin(id);
        unit.keepMessage(key, key.getBytes(StandardCharsets.UTF_8));
        unit.commit();
    }

    private static OptionalLong epoch(Map<UUID, Long> held, UUID id) {
        var epoch = held.get(id);
        return epoch == null ? OptionalLong.empty() : OptionalLong.of(epoch);
    }
}
