package ponte.adapters.whatsapp.store.sql;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.store.DeviceCredentials;
import ponte.adapters.whatsapp.store.KeptMessage;
import ponte.adapters.whatsapp.store.TestCipher;
import ponte.testing.PostgresFixture;

/** The PN-LID mappings and the kept sent messages of the device store, in PostgreSQL. */
class SqlLidMappingAndSentStoreTest {

    private static DataSource dataSource;
    private static SqlDeviceStore store;
    private final UUID device = UUID.randomUUID();

    @BeforeAll
    static void openStore() {
        dataSource = PostgresFixture.newDatabase().dataSource();
        store = SqlDeviceStore.migrateAndOpen(dataSource, new TestCipher(), Clock.systemUTC());
    }

    @Test
    void aMappingIsKeptBothWaysAndANewerPairReplacesTheOlderOnEitherSide() {
        store.create(device, DeviceCredentials.generate(new SecureRandom()));

        store.saveLidMapping(device, "5511900000001", "111111111111111");
        store.saveLidMapping(device, "5511900000001", "111111111111111");

        assertThat(store.lidOf(device, "5511900000001")).contains("111111111111111");
        assertThat(store.phoneOf(device, "111111111111111")).contains("5511900000001");
        // the number got a new LID: the old LID names nobody any more
        store.saveLidMapping(device, "5511900000001", "222222222222222");
        assertThat(store.lidOf(device, "5511900000001")).contains("222222222222222");
        assertThat(store.phoneOf(device, "111111111111111")).isEmpty();
        // the LID moved to another number: the old number loses it
        store.saveLidMapping(device, "5511900000002", "222222222222222");
        assertThat(store.phoneOf(device, "222222222222222")).contains("5511900000002");
        assertThat(store.lidOf(device, "5511900000001")).isEmpty();
        // another device learns its own
        assertThat(store.lidOf(UUID.randomUUID(), "5511900000002")).isEmpty();
    }

    @Test
    void aSentMessageIsKeptSealedReplacedByAResendAndPurgedWithAge() {
        store.create(device, DeviceCredentials.generate(new SecureRandom()));

        store.keepSent(device, "5511900000001@s.whatsapp.net|3EB0A1", "primeira".getBytes(UTF_8));
        store.keepSent(device, "5511900000001@s.whatsapp.net|3EB0A1", "segunda".getBytes(UTF_8));

        KeptMessage kept = store.sentMessage(device, "5511900000001@s.whatsapp.net|3EB0A1").orElseThrow();
        assertThat(new String(kept.payload().orElseThrow(), UTF_8)).isEqualTo("segunda");
        byte[] atRest = Jdbi.create(dataSource).withHandle(handle -> handle.createQuery(
                "select payload_sealed from whatsapp_store.kept_sent_message where device_id = :id")
                .bind("id", device).mapTo(byte[].class).one());
        assertThat(new String(atRest, UTF_8)).doesNotContain("segunda");
        assertThat(store.sentMessage(device, "other|3EB0A1")).isEmpty();

        assertThat(store.purgeHandedOn(Instant.now().plusSeconds(60))).isPositive();
        assertThat(store.sentMessage(device, "5511900000001@s.whatsapp.net|3EB0A1")).isEmpty();
    }
}
