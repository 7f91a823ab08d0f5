package ponte.adapters.whatsapp.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.sandbox.store.SandboxMessageStore;
import ponte.adapters.whatsapp.sandbox.store.sql.SqlSandboxStore;

/** The sandbox's delivery queue and phone records in PostgreSQL. */
class SandboxMessageStoreTest {

    private final SandboxMessageStore store = SqlSandboxStore.migrateAndOpen(SandboxFixture.database()).messages();

    @Test
    void aDeviceQueueKeepsItsOrderKeepsTheFirstCopyOfAKeyAndIsSeparateFromOtherDevices() {
        Instant now = Instant.parse("2026-11-30T04:00:00Z");
        store.enqueue("5511955552001", 3, "message|B|", new byte[] {2}, now);
        store.enqueue("5511955552001", 3, "message|A|", new byte[] {1}, now);
        store.enqueue("5511955552001", 3, "message|B|", new byte[] {9}, now);
        store.enqueue("5511955552001", 4, "message|C|", new byte[] {3}, now);

        assertThat(store.queued("5511955552001", 3)).containsExactly(new byte[] {2}, new byte[] {1});
        assertThat(store.queued("5511955552001", 4)).containsExactly(new byte[] {3});
    }

    @Test
    void anAcknowledgementRemovesOnlyTheKeysItNames() {
        Instant now = Instant.parse("2026-11-30T04:00:00Z");
        store.enqueue("5511955552001", 3, "message|ABC|", new byte[] {1}, now);
        store.enqueue("5511955552001", 3, "message|ABCD|", new byte[] {2}, now);
        store.enqueue("5511955552001", 3, "receipt|ABC|read|5511955552002", new byte[] {3}, now);

        store.acknowledge("5511955552001", 3, "message|ABC|");
        store.acknowledge("5511955552001", 3, "receipt|ABC||");

        assertThat(store.queued("5511955552001", 3)).containsExactly(new byte[] {2}, new byte[] {3});
    }

    @Test
    void phoneRecordsAreReplacedAndRemovedByKindAndName() {
        store.savePhoneRecord("5511955552001", "session", "5511955552002.0", new byte[] {1});
        store.savePhoneRecord("5511955552001", "session", "5511955552002.0", new byte[] {2});
        store.savePhoneRecord("5511955552001", "identity", "5511955552002.0", new byte[] {3});

        assertThat(store.phoneRecord("5511955552001", "session", "5511955552002.0")).contains(new byte[] {2});
        store.removePhoneRecord("5511955552001", "session", "5511955552002.0");
        assertThat(store.phoneRecord("5511955552001", "session", "5511955552002.0")).isEmpty();
        assertThat(store.phoneRecord("5511955552001", "identity", "5511955552002.0")).contains(new byte[] {3});
    }
}
