package ponte.adapters.whatsapp.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.sandbox.SandboxFixture;
import ponte.adapters.whatsapp.sandbox.SandboxServer;
import ponte.adapters.whatsapp.sandbox.store.sql.SqlSandboxStore;
import ponte.adapters.whatsapp.store.DeviceStores;
import ponte.adapters.whatsapp.store.PreKey;
import ponte.adapters.whatsapp.store.PreKeyStore;
import ponte.adapters.whatsapp.store.TestCipher;
import ponte.adapters.whatsapp.store.sql.SqlDeviceStore;
import ponte.domain.message.MessageExchanged;
import ponte.domain.proxy.EffectiveProxy;

/**
 * Texts a peer sends the moment a newly linked instance reports {@code connected} reach it live, never only through
 * the phone's history (whose messages of before the history's sending stay off webhooks): the instance says it is
 * connected only once senders can reach it, that is once its prekeys are on the server, as a sender's phone needs a
 * bundle of a device to encrypt for it (protocol.md §1.10). The device used to report {@code connected} before
 * its first 812 prekeys were made and uploaded, and the peer's phone skipped it; here the prekeys are saved late (a
 * loaded database), which made that window seconds wide, so the test fails without the fix on every run.
 */
class LinkRaceTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String PHONE = "5511987650301";
    private static final String PEER = "5511987650302";
    private static final Duration SAVE_DELAY = Duration.ofMillis(1500);

    private final RecordedReports reports = new RecordedReports();
    private SandboxServer sandbox;
    private SqlSandboxStore sandboxStore;
    private WhatsAppEngine engine;
    private UUID id;

    @BeforeEach
    void start() throws Exception {
        var database = SandboxFixture.database();
        var store = SqlDeviceStore.migrateAndOpen(database, new TestCipher(), Clock.systemUTC());
        sandboxStore = SqlSandboxStore.migrateAndOpen(database);
        sandbox = SandboxFixture.start(sandboxStore, SandboxFixture.fastOptions());
        sandbox.phones().create(PHONE, "Ana");
        sandbox.phones().create(PEER, "Bruno");
        var settings = SandboxFixture.fastClientSettings(sandbox);
        var stores = DeviceStores.of(store);
        // a loaded database: making the first 812 prekeys takes a while, as it did when the race was seen
        stores = new DeviceStores(stores.devices(), stores.accounts(), new SlowPreKeys(store), stores.signal(),
                stores.lids(), stores.tokens(), stores.appState(), stores.polls());
        engine = new WhatsAppEngine(settings, stores, () -> reports, () -> reports, () -> reports,
                Clock.systemUTC(), new SecureRandom());
        id = UUID.randomUUID();
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
        sandbox.close();
    }

    @Test
    void textsSentTheMomentTheInstanceIsConnectedArriveLive() throws Exception {
        engine.start(id, EffectiveProxy.NONE);
        var qr = (String) reports.await("qr", 0, WAIT).detail();
        sandbox.phones().scan(PHONE, qr).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        reports.await("connected", 0, WAIT);
        int device = sandbox.phones().devices(PHONE).getFirst().device();
        assertThat(sandboxStore.phones().preKeyCount(PHONE, device)).as("prekeys on the server when connected")
                .isGreaterThan(0);
        // at once, then a few more within the first second
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sent.add(sandbox.phones().sendText(PEER, PHONE, "right after the link " + i));
            Thread.sleep(200);
        }
        awaitUntil(() -> arrived().containsAll(sent));
        assertThat(live()).as("every text came live, none only through the history").containsAll(sent);
    }

    /** The device store's prekeys, saved {@link #SAVE_DELAY} late. */
    private record SlowPreKeys(PreKeyStore store) implements PreKeyStore {
        @Override
        public int lastPreKeyId(UUID deviceId) {
            return store.lastPreKeyId(deviceId);
        }

        @Override
        public void savePreKeys(UUID deviceId, List<PreKey> preKeys) {
            try {
                Thread.sleep(SAVE_DELAY);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            store.savePreKeys(deviceId, preKeys);
        }

        @Override
        public List<PreKey> unuploadedPreKeys(UUID deviceId, int limit) {
            return store.unuploadedPreKeys(deviceId, limit);
        }

        @Override
        public void markUploaded(UUID deviceId, int upToId) {
            store.markUploaded(deviceId, upToId);
        }

        @Override
        public int uploadedPreKeyCount(UUID deviceId) {
            return store.uploadedPreKeyCount(deviceId);
        }

        @Override
        public Optional<PreKey> preKey(UUID deviceId, int id) {
            return store.preKey(deviceId, id);
        }

        @Override
        public void removePreKey(UUID deviceId, int id) {
            store.removePreKey(deviceId, id);
        }
    }

    private List<String> live() {
        return reports.handedOver().stream().map(MessageExchanged::message).map(m -> m.id().value()).toList();
    }

    private List<String> arrived() {
        var all = new ArrayList<>(live());
        reports.histories().stream().flatMap(chunk -> chunk.messages().stream())
                .forEach(m -> all.add(m.message().id().value()));
        return all;
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
