package ponte.adapters.whatsapp.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
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
import ponte.adapters.whatsapp.store.TestCipher;
import ponte.adapters.whatsapp.store.sql.SqlDeviceStore;
import ponte.domain.message.Message;
import ponte.domain.message.MessageExchanged;
import ponte.domain.proxy.EffectiveProxy;

/**
 * The phone's history sent as WhatsApp's phones send it, as {@code md-msg-hist} media blobs (protocol.md §1.18): the
 * instance downloads each from the sandbox's HTTPS media host, checks it with the notification's hashes and MAC,
 * inflates and reads it, and receipts every chunk, as for inline history.
 */
class HistoryBlobTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String PHONE = "5511987650542";

    private final RecordedReports reports = new RecordedReports();
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
                Clock.systemUTC(), new SecureRandom());
        id = UUID.randomUUID();
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
        sandbox.close();
    }

    @Test
    void historyBlobsAreDownloadedCheckedAndRead() throws Exception {
        int seeded = 1_200;
        assertThat(sandbox.phones().seedHistory(PHONE, seeded, 3)).isEqualTo(seeded);
        sandbox.phones().sendHistoryAsBlobs(PHONE, true);

        engine.start(id, EffectiveProxy.NONE);
        var qr = (String) reports.await("qr", 0, WAIT).detail();
        sandbox.phones().scan(PHONE, qr).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        reports.await("connected", 0, WAIT);

        awaitUntil(() -> messages().size() == seeded);
        assertThat(messages()).allMatch(Message::fromHistory);
        assertThat(sandbox.media().stored(ponte.adapters.whatsapp.media.MediaType.HISTORY)).isPositive();
        assertThat(messages()).extracting(m -> m.id().value()).doesNotHaveDuplicates();
        assertThat(store.lidOf(id, "15550000002")).as("a mapping of the blob's bootstrap chunk")
                .contains("915550000002");
        assertThat(store.nctSalt(id)).hasValueSatisfying(salt -> assertThat(salt).hasSize(32));
        String ourDevice = PHONE + ":" + sandbox.phones().devices(PHONE).getFirst().device() + "@s.whatsapp.net";
        awaitUntil(() -> sandbox.phones().receipts(PHONE).stream().filter(r -> r.from().equals(ourDevice))
                .filter(r -> r.type().equals("hist_sync")).count() == 1);
    }

    private List<Message> messages() {
        return reports.histories().stream().flatMap(chunk -> chunk.messages().stream())
                .map(MessageExchanged::message).toList();
    }

    private void awaitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + WAIT + " (" + messages().size()
                        + " history messages)");
            }
            Thread.sleep(50);
        }
    }
}
