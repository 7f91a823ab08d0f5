package ponte.adapters.whatsapp.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.sandbox.SandboxFixture;
import ponte.adapters.whatsapp.sandbox.SandboxServer;
import ponte.adapters.whatsapp.sandbox.store.sql.SqlSandboxStore;
import ponte.adapters.whatsapp.store.DeviceStores;
import ponte.adapters.whatsapp.store.TestCipher;
import ponte.adapters.whatsapp.store.sql.SqlDeviceStore;
import ponte.domain.appstate.AppStateChange;
import ponte.domain.message.Jid;
import ponte.domain.proxy.EffectiveProxy;

/**
 * App state served as WhatsApp serves it, as {@code md-app-state} external blobs (protocol.md §1.17): the snapshot
 * of the first sync and the mutations of later patches are each an {@code ExternalBlobReference} the instance
 * downloads from the sandbox's HTTPS media host, checks, and verifies and applies as if it had been inline.
 */
class AppStateBlobTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PHONE = "5511987650642";
    private static final String FRIEND = "5511987650677@s.whatsapp.net";
    private static final String OTHER = "5511987650688@s.whatsapp.net";

    private final RecordedReports reports = new RecordedReports();
    private final List<AppStateChange> changes = new CopyOnWriteArrayList<>();
    private SandboxServer sandbox;
    private SqlDeviceStore store;
    private WhatsAppEngine engine;
    private UUID id;

    @BeforeEach
    void start() throws Exception {
        var database = SandboxFixture.database();
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
    void aSnapshotAndPatchesServedAsExternalBlobsAreDownloadedVerifiedAndApplied() throws Exception {
        sandbox.phones().appStates().saveContact(PHONE, FRIEND, "Bia Lima");
        sandbox.phones().serveAppStateAsBlobs(PHONE, true);

        engine.start(id, EffectiveProxy.NONE);
        var qr = (String) reports.await("qr", 0, WAIT).detail();
        sandbox.phones().scan(PHONE, qr).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        reports.await("connected", 0, WAIT);

        // the first sync's snapshot, an external blob
        awaitUntil(() -> changes.stream().anyMatch(c -> c instanceof AppStateChange.ContactName n
                && n.jid().equals(jid(FRIEND)) && n.name().equals(Optional.of("Bia Lima"))));
        awaitUntil(() -> store.collection(id, "critical_unblock_low").version() == 1);

        // a later patch whose mutations are an external blob
        sandbox.phones().appStates().saveContact(PHONE, OTHER, "Caio");
        awaitUntil(() -> changes.stream().anyMatch(c -> c instanceof AppStateChange.ContactName n
                && n.jid().equals(jid(OTHER)) && n.name().equals(Optional.of("Caio"))));
        awaitUntil(() -> store.collection(id, "critical_unblock_low").version() == 2);
        assertThat(store.collection(id, "critical_unblock_low").valueMacs()).hasSize(2);
        assertThat(sandbox.media().stored(ponte.adapters.whatsapp.media.MediaType.APP_STATE))
                .as("the snapshot and the patch went as blobs").isGreaterThanOrEqualTo(2);
    }

    private static Jid jid(String text) {
        return Jid.parse(text).orElseThrow();
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
