package ponte.adapters.whatsapp.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.appstate.CollectionState;
import ponte.adapters.whatsapp.appstate.LtHash;
import ponte.adapters.whatsapp.sandbox.SandboxFixture;
import ponte.adapters.whatsapp.sandbox.SandboxServer;
import ponte.adapters.whatsapp.sandbox.store.sql.SqlSandboxStore;
import ponte.adapters.whatsapp.store.DeviceStores;
import ponte.adapters.whatsapp.store.TestCipher;
import ponte.adapters.whatsapp.store.sql.SqlDeviceStore;
import ponte.domain.appstate.AppStateChange;
import ponte.domain.message.Jid;
import ponte.domain.message.MessageId;
import ponte.domain.proxy.EffectiveProxy;

/**
 * App-state sync through the engine and the real sandbox: the phone shares its key with the companion it links and
 * serves its collections as real encrypted patches and snapshots; what it held before the link arrives with the
 * full sync, and what it changes later with the {@code server_sync} notification. A local LTHash that disagrees
 * with the server's applies nothing of the patch and is repaired from the snapshot.
 */
class AppStateSyncTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String PHONE = "5511987650342";
    private static final String FRIEND = "5511987650377@s.whatsapp.net";
    private static final String OTHER = "5511987650388@s.whatsapp.net";

    private final RecordedReports reports = new RecordedReports();
    private final List<AppStateChange> changes = new CopyOnWriteArrayList<>();
    private SandboxServer sandbox;
    private javax.sql.DataSource database;
    private SqlDeviceStore store;
    private WhatsAppEngine engine;
    private UUID id;

    @BeforeEach
    void start() throws Exception {
        database = SandboxFixture.database();
        store = SqlDeviceStore.migrateAndOpen(database, new TestCipher(), Clock.systemUTC());
        sandbox = SandboxFixture.start(SqlSandboxStore.migrateAndOpen(database), SandboxFixture.fastOptions());
        sandbox.phones().create(PHONE, "Ana");
        var settings = SandboxFixture.fastClientSettings(sandbox);
        engine = new WhatsAppEngine(settings, DeviceStores.of(store), () -> reports, () -> reports, () -> reports,
                () -> (instance, applied) -> changes.addAll(applied), Clock.systemUTC(), new SecureRandom());
        id = UUID.randomUUID();
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
        sandbox.close();
    }

    @Test
    void whatThePhoneHeldBeforeTheLinkArrivesWithTheKeysAndLaterChangesWithServerSync() throws Exception {
        sandbox.phones().appStates().saveContact(PHONE, FRIEND, "Bia Lima");
        sandbox.phones().appStates().archiveChat(PHONE, FRIEND, true);
        sandbox.phones().appStates().editLabel(PHONE, "1", "New customer", 3);

        pairByQr();

        awaitUntil(() -> changes.contains(new AppStateChange.ContactName(jid(FRIEND), Optional.of("Bia Lima"),
                at(AppStateChange.ContactName.class))));
        awaitUntil(() -> changes.stream().anyMatch(c -> c instanceof AppStateChange.ChatArchived a && a.archived()));
        awaitUntil(() -> changes.stream().anyMatch(c -> c instanceof AppStateChange.LabelEdited l
                && l.labelId().equals("1") && l.name().equals("New customer") && l.color() == 3 && !l.deleted()));
        assertThat(store.hasSyncKeys(id)).isTrue();
        awaitUntil(() -> store.collection(id, "critical_unblock_low").version() == 1);

        changes.clear();
        sandbox.phones().appStates().pinChat(PHONE, FRIEND, true);
        sandbox.phones().appStates().muteChat(PHONE, OTHER, 1_900_000_000_000L);
        sandbox.phones().appStates().labelChat(PHONE, "1", FRIEND, true);
        sandbox.phones().appStates().labelMessage(PHONE, "1", FRIEND, "3EB0AABBCCDD", true);
        sandbox.phones().appStates().saveContact(PHONE, OTHER, "Caio");
        sandbox.phones().appStates().deleteContact(PHONE, FRIEND);

        awaitUntil(() -> changes.size() >= 6);
        assertThat(changes).anySatisfy(c -> assertThat(c).isInstanceOfSatisfying(AppStateChange.ChatPinned.class,
                p -> assertThat(p.pinned()).isTrue()));
        assertThat(changes).anySatisfy(c -> assertThat(c).isInstanceOfSatisfying(AppStateChange.ChatMuted.class,
                m -> assertThat(m.until()).contains(Instant.ofEpochMilli(1_900_000_000_000L))));
        assertThat(changes).anySatisfy(c -> assertThat(c).isInstanceOfSatisfying(
                AppStateChange.LabelAssociated.class, l -> {
                    assertThat(l.message()).isEmpty();
                    assertThat(l.chat()).isEqualTo(jid(FRIEND));
                }));
        assertThat(changes).anySatisfy(c -> assertThat(c).isInstanceOfSatisfying(
                AppStateChange.LabelAssociated.class,
                l -> assertThat(l.message()).contains(new MessageId("3EB0AABBCCDD"))));
        // the REMOVE of the deleted contact is applied against the value MAC kept for its index
        awaitUntil(() -> store.collection(id, "critical_unblock_low").version() == 3);
        assertThat(changes.stream().filter(AppStateChange.ContactName.class::isInstance)
                .map(AppStateChange.ContactName.class::cast).toList()).containsExactly(
                new AppStateChange.ContactName(jid(OTHER), Optional.of("Caio"), namedAt(OTHER)),
                new AppStateChange.ContactName(jid(FRIEND), Optional.empty(), namedAt(FRIEND)));
        assertThat(store.collection(id, "critical_unblock_low").valueMacs()).hasSize(1);
    }

    @Test
    void aLocalHashThatDisagreesAppliesNothingOfThePatchAndTheSnapshotRepairsIt() throws Exception {
        sandbox.phones().appStates().saveContact(PHONE, FRIEND, "Bia Lima");
        pairByQr();
        awaitUntil(() -> store.collection(id, "critical_unblock_low").version() == 1);
        CollectionState good = store.collection(id, "critical_unblock_low");
        // our LTHash drifts (a lost REMOVE, say): the next patch's snapshot MAC cannot match it
        byte[] drifted = good.hash();
        drifted[0] ^= 1;
        store.saveCollection(id, new CollectionState(good.name(), good.version(), drifted, good.valueMacs()));
        changes.clear();

        sandbox.phones().appStates().saveContact(PHONE, OTHER, "Caio");

        // the patch (Caio alone) is never applied: what arrives is the verified snapshot, Bia and Caio together
        awaitUntil(() -> store.collection(id, "critical_unblock_low").version() == 2);
        awaitUntil(() -> changes.size() >= 3);
        assertThat(changes.getFirst()).isInstanceOfSatisfying(AppStateChange.Reset.class, reset ->
                assertThat(reset.kinds()).containsExactly(AppStateChange.Kind.CONTACT_NAMES));
        assertThat(changes.subList(1, changes.size())).extracting(c -> ((AppStateChange.ContactName) c).name()
                .orElseThrow()).containsExactlyInAnyOrder("Bia Lima", "Caio");
        CollectionState repaired = store.collection(id, "critical_unblock_low");
        assertThat(repaired.hash()).isNotEqualTo(drifted).isNotEqualTo(LtHash.empty());
        assertThat(repaired.valueMacs()).hasSize(2);
    }

    @Test
    void aDeviceAheadOfTheServerIsRefusedItsPatchesAndCatchesUpFromTheSnapshot() throws Exception {
        sandbox.phones().appStates().saveContact(PHONE, FRIEND, "Bia Lima");
        pairByQr();
        awaitUntil(() -> store.collection(id, "critical_unblock_low").version() == 1);
        CollectionState good = store.collection(id, "critical_unblock_low");
        // the device holds a version the server never had (the server's state was rolled back, say)
        store.saveCollection(id, new CollectionState(good.name(), good.version() + 5, good.hash(), good.valueMacs()));
        changes.clear();

        sandbox.phones().appStates().saveContact(PHONE, OTHER, "Caio");

        // its patches from version 6 are refused (409); the snapshot it asks for instead brings it to the server's 2
        awaitUntil(() -> store.collection(id, "critical_unblock_low").version() == 2);
        awaitUntil(() -> changes.size() >= 3);
        assertThat(changes.getFirst()).isInstanceOf(AppStateChange.Reset.class);
        assertThat(changes.subList(1, changes.size())).extracting(c -> ((AppStateChange.ContactName) c).name()
                .orElseThrow()).containsExactlyInAnyOrder("Bia Lima", "Caio");
    }

    @Test
    void aKeyTheDeviceLacksIsAskedOfThePhoneAndTheCollectionSyncsOnceItArrives() throws Exception {
        pairByQr();
        awaitUntil(() -> store.hasSyncKeys(id));
        awaitUntil(() -> store.collection(id, "regular_low").version() == 0 && engine.isOnline(id));
        // the device loses its keys (a restore from an old backup, say): the next patch cannot be opened
        try (var connection = database.getConnection();
                var delete = connection.prepareStatement(
                        "delete from whatsapp_store.app_state_sync_key where device_id = ?")) {
            delete.setObject(1, id);
            assertThat(delete.executeUpdate()).isEqualTo(1);
        }
        changes.clear();

        sandbox.phones().appStates().pinChat(PHONE, FRIEND, true);

        // the device asks its phone (a peer message the phone decrypts), the phone shares the key again
        awaitUntil(() -> changes.stream().anyMatch(c -> c instanceof AppStateChange.ChatPinned p && p.pinned()));
        assertThat(store.hasSyncKeys(id)).isTrue();
        // the changes are handed on first, the collection's new state stored after (AppState)
        awaitUntil(() -> store.collection(id, "regular_low").version() == 1);
    }

    @Test
    void aLoginCatchesUpWithWhatChangedWhileOffline() throws Exception {
        pairByQr();
        awaitUntil(() -> store.hasSyncKeys(id));
        engine.stop(id);
        sandbox.phones().appStates().saveContact(PHONE, FRIEND, "Bia Lima");
        changes.clear();

        engine.start(id, EffectiveProxy.NONE);

        awaitUntil(() -> changes.stream().anyMatch(c -> c instanceof AppStateChange.ContactName n
                && n.name().equals(Optional.of("Bia Lima"))));
    }

    private Instant at(Class<? extends AppStateChange> type) {
        return changes.stream().filter(type::isInstance).map(AppStateChange::at).findFirst().orElse(Instant.EPOCH);
    }

    private Instant namedAt(String contact) {
        return changes.stream().filter(AppStateChange.ContactName.class::isInstance)
                .map(AppStateChange.ContactName.class::cast).filter(c -> c.jid().equals(jid(contact)))
                .map(AppStateChange::at).reduce((a, b) -> b).orElse(Instant.EPOCH);
    }

    private static Jid jid(String text) {
        return Jid.parse(text).orElseThrow();
    }

    private void pairByQr() throws Exception {
        int before = reports.size();
        engine.start(id, EffectiveProxy.NONE);
        var qr = (String) reports.await("qr", before, WAIT).detail();
        sandbox.phones().scan(PHONE, qr).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        reports.await("connected", before, WAIT);
    }

    private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + WAIT);
            }
            Thread.sleep(50);
        }
    }
}
