package ponte.adapters.whatsapp.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.client.ClientSettings;
import ponte.adapters.whatsapp.client.WaVersion;
import ponte.adapters.whatsapp.sandbox.SandboxFixture;
import ponte.adapters.whatsapp.sandbox.SandboxServer;
import ponte.adapters.whatsapp.socket.SocketSettings;
import ponte.adapters.whatsapp.store.DeviceStores;
import ponte.adapters.whatsapp.store.TestCipher;
import ponte.adapters.whatsapp.store.sql.SqlDeviceStore;
import ponte.adapters.whatsapp.sandbox.store.sql.SqlSandboxStore;
import ponte.domain.instance.DisconnectReason;
import ponte.domain.proxy.EffectiveProxy;

/**
 * Pairing as a user lives it, against a sandbox whose timings are WhatsApp's scaled down: QR codes first for 2 s,
 * then 0.4 s each, and a socket on which nothing crosses for 0.8 s is dropped, as WhatsApp drops silent sockets.
 */
class PairingLifecycleTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration FIRST = Duration.ofSeconds(2);
    private static final Duration LATER = Duration.ofMillis(400);

    private final RecordedReports reports = new RecordedReports();
    private SandboxServer sandbox;
    private WhatsAppEngine engine;

    @BeforeEach
    void start() throws Exception {
        var database = SandboxFixture.database();
        var store = SqlDeviceStore.migrateAndOpen(database, new TestCipher(), Clock.systemUTC());
        sandbox = SandboxFixture.start(SqlSandboxStore.migrateAndOpen(database), SandboxFixture.fastOptions()
                .withRefLifetimes(FIRST, LATER).withIdleTimeout(Duration.ofMillis(800)));
        var settings = ClientSettings.of(SocketSettings.whatsapp().withEndpoint(sandbox.wsUrl(), sandbox.trustRoot()),
                WaVersion.DEFAULT).withTimings(Duration.ofSeconds(5), Duration.ofMillis(200), Duration.ofMillis(300),
                Duration.ofSeconds(5), Duration.ofMillis(100)).withQrLifetimes(FIRST, LATER);
        engine = new WhatsAppEngine(settings, DeviceStores.of(store), () -> reports, () -> reports, () -> reports,
                Clock.systemUTC(), new SecureRandom());
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
        sandbox.close();
    }

    @Test
    void unscannedQrCodesRunTheirWholeSequenceOnOneConnectionThenRestInQrTimeout() throws Exception {
        var id = UUID.randomUUID();
        Instant started = Instant.now();
        engine.start(id, EffectiveProxy.NONE);

        var timeout = reports.await("disconnected", 0, WAIT);
        Duration took = Duration.between(started, Instant.now());
        assertThat(timeout.detail()).as(reports.kinds().toString()).isEqualTo(DisconnectReason.QR_TIMEOUT);
        // six refs on one socket that outlived the idle timeout many times: 2 s + 5 × 0.4 s
        assertThat(reports.kinds()).containsExactly("connecting", "qr", "qr", "qr", "qr", "qr", "qr",
                "disconnected(qr_timeout)");
        assertThat(took).isGreaterThanOrEqualTo(FIRST.plus(LATER.multipliedBy(5)));
        assertThat(reports.all().stream().filter(r -> r.what().equals("qr")).map(RecordedReports.Report::detail)
                .distinct()).hasSize(6);
        var expiries = reports.qrExpiries();
        assertThat(Duration.between(started, expiries.getFirst())).isBetween(FIRST, FIRST.plusMillis(1_500));
        for (int i = 1; i < expiries.size(); i++) {
            assertThat(Duration.between(expiries.get(i - 1), expiries.get(i)))
                    .isBetween(LATER.minusMillis(100), LATER.plusMillis(400));
        }
        assertThat(engine.isRunning(id)).isFalse();

        Thread.sleep(1_500);
        assertThat(reports.size()).as("nothing after the timeout: " + reports.kinds()).isEqualTo(8);

        engine.start(id, EffectiveProxy.NONE);
        reports.await("qr", 8, WAIT);
        assertThat(reports.kinds().subList(8, 10)).containsExactly("connecting", "qr");
    }
}
