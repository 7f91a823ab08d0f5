package ponte.adapters.whatsapp.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.store.DeviceCredentials;
import ponte.adapters.whatsapp.store.DeviceAccount;
import ponte.adapters.whatsapp.store.PreKey;
import ponte.adapters.whatsapp.store.TestCipher;
import ponte.testing.PostgresFixture;

class SqlDeviceStoreTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static DataSource dataSource;
    private static SqlDeviceStore store;

    @BeforeAll
    static void openStore() {
        dataSource = PostgresFixture.newDatabase().dataSource();
        store = SqlDeviceStore.migrateAndOpen(dataSource, new TestCipher(), Clock.systemUTC());
    }

    @Test
    void credentialsComeBackAsTheyWereStored() {
        UUID id = UUID.randomUUID();
        DeviceCredentials credentials = DeviceCredentials.generate(RANDOM);

        store.create(id, credentials);
        DeviceCredentials loaded = store.load(id).orElseThrow().credentials();

        assertThat(loaded.noiseKey()).isEqualTo(credentials.noiseKey());
        assertThat(loaded.identityKey()).isEqualTo(credentials.identityKey());
        assertThat(loaded.signedPreKey().keyPair()).isEqualTo(credentials.signedPreKey().keyPair());
        assertThat(loaded.signedPreKey().signature()).isEqualTo(credentials.signedPreKey().signature());
        assertThat(loaded.signedPreKey().id()).isEqualTo(credentials.signedPreKey().id());
        assertThat(loaded.registrationId()).isEqualTo(credentials.registrationId());
        assertThat(loaded.advSecret()).isEqualTo(credentials.advSecret());
        assertThat(store.load(id).orElseThrow().account()).isEmpty();
    }

    @Test
    void noPrivateKeyNorTheAdvSecretAppearsInAnyColumn() {
        UUID id = UUID.randomUUID();
        DeviceCredentials credentials = DeviceCredentials.generate(RANDOM);
        store.create(id, credentials);
        PreKey preKey = new PreKey(1, KeyPair.generate(RANDOM));
        store.savePreKeys(id, List.of(preKey));

        String dump = dumpAllBytes(id);

        for (byte[] secret : List.of(credentials.noiseKey().privateKey(), credentials.identityKey().privateKey(),
                credentials.signedPreKey().keyPair().privateKey(), credentials.advSecret(),
                preKey.keyPair().privateKey())) {
            assertThat(dump).doesNotContain(HexFormat.of().formatHex(secret));
        }
        assertThat(dump).contains(HexFormat.of().formatHex(credentials.identityKey().publicKey()));
    }

    @Test
    void theAccountIsSavedAtPairingAndItsPushNameLater() {
        UUID id = UUID.randomUUID();
        store.create(id, DeviceCredentials.generate(RANDOM));
        var account = new DeviceAccount("5511999990000:3@s.whatsapp.net", "123456789012345:3@lid", "android", "",
                "", new byte[] {1, 2, 3});

        store.saveAccount(id, account);
        store.savePushName(id, "Ana");

        DeviceAccount loaded = store.load(id).orElseThrow().account().orElseThrow();
        assertThat(loaded.jid()).isEqualTo(account.jid());
        assertThat(loaded.lid()).isEqualTo(account.lid());
        assertThat(loaded.platform()).isEqualTo("android");
        assertThat(loaded.pushName()).isEqualTo("Ana");
        assertThat(loaded.signedIdentity()).containsExactly(1, 2, 3);
    }

    @Test
    void pairingByCodeReplacesTheAdvSecret() {
        UUID id = UUID.randomUUID();
        store.create(id, DeviceCredentials.generate(RANDOM));
        byte[] derived = new byte[32];
        RANDOM.nextBytes(derived);

        store.replaceAdvSecret(id, derived);

        assertThat(store.load(id).orElseThrow().credentials().advSecret()).isEqualTo(derived);
    }

    @Test
    void preKeysAreHandedOutUntilMarkedUploadedAndThenCounted() {
        UUID id = UUID.randomUUID();
        store.create(id, DeviceCredentials.generate(RANDOM));
        List<PreKey> keys = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            keys.add(new PreKey(i, KeyPair.generate(RANDOM)));
        }
        store.savePreKeys(id, keys);

        store.markUploaded(id, 4);

        assertThat(store.lastPreKeyId(id)).isEqualTo(10);
        assertThat(store.uploadedPreKeyCount(id)).isEqualTo(4);
        assertThat(store.unuploadedPreKeys(id, 3)).extracting(PreKey::id).containsExactly(5, 6, 7);
        assertThat(store.preKey(id, 2).orElseThrow().keyPair()).isEqualTo(keys.get(1).keyPair());
        store.removePreKey(id, 2);
        assertThat(store.preKey(id, 2)).isEmpty();
    }

    @Test
    void deletingADeviceWipesItsCredentialsAccountAndPreKeysButNoOtherDevice() {
        UUID gone = UUID.randomUUID();
        UUID kept = UUID.randomUUID();
        for (UUID id : List.of(gone, kept)) {
            store.create(id, DeviceCredentials.generate(RANDOM));
            store.saveAccount(id, new DeviceAccount("1:1@s.whatsapp.net", "2:1@lid", "", "", "", new byte[0]));
            store.savePreKeys(id, List.of(new PreKey(1, KeyPair.generate(RANDOM))));
        }

        store.delete(gone);

        assertThat(store.load(gone)).isEmpty();
        assertThat(store.lastPreKeyId(gone)).isZero();
        assertThat(rowsOf("whatsapp_store.device_account", gone)).isZero();
        assertThat(store.load(kept)).isPresent();
        assertThat(store.lastPreKeyId(kept)).isEqualTo(1);
    }

    @Test
    void theStoreKeepsItsTablesOutOfThePublicSchemaSoItMigratesInAnyOrder() {
        DataSource fresh = PostgresFixture.newDatabase().dataSource();

        SqlDeviceStore.migrateAndOpen(fresh, new TestCipher(), Clock.systemUTC());

        List<String> schemas = Jdbi.create(fresh).withHandle(handle -> handle.createQuery("""
                select distinct table_schema from information_schema.tables
                where table_schema not in ('pg_catalog', 'information_schema')""").mapTo(String.class).list());
        assertThat(schemas).containsExactly("whatsapp_store");
    }

    @Test
    void theStoreMigratesUnderItsOwnHistoryTable() {
        List<String> scripts = Jdbi.create(dataSource).withHandle(handle -> handle
                .createQuery("""
                        select script from whatsapp_store.flyway_whatsapp_store_history
                        where success order by installed_rank""")
                .mapTo(String.class).list());

        assertThat(scripts).contains("V1__device_store.sql", "V2__signal_state.sql");
    }

    private static int rowsOf(String table, UUID id) {
        return Jdbi.create(dataSource).withHandle(handle -> handle
                .createQuery("select count(*) from " + table + " where device_id = :id")
                .bind("id", id).mapTo(Integer.class).one());
    }

    /** Every bytea column of the device's rows, as hex. */
    private static String dumpAllBytes(UUID id) {
        return Jdbi.create(dataSource).withHandle(handle -> {
            StringBuilder out = new StringBuilder();
            for (String table : List.of("whatsapp_store.device", "whatsapp_store.device_account",
                    "whatsapp_store.device_prekey")) {
                handle.createQuery("select * from " + table + " where device_id = :id").bind("id", id)
                        .map((rs, ctx) -> {
                            for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
                                Object value = rs.getObject(c);
                                if (value instanceof byte[] bytes) {
                                    out.append(HexFormat.of().formatHex(bytes)).append('|');
                                }
                            }
                            return 0;
                        }).list();
            }
            return out.toString();
        });
    }
}
