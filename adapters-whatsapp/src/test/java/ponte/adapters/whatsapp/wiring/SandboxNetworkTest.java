package ponte.adapters.whatsapp.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.sandbox.SandboxFixture;
import ponte.adapters.whatsapp.store.TestCipher;
import ponte.application.port.in.InboundMessagesUseCase;
import ponte.application.port.in.SessionEventsUseCase;
import ponte.domain.instance.DisconnectReason;
import ponte.domain.instance.LinkedAccount;
import ponte.domain.message.MessageExchanged;
import ponte.domain.proxy.EffectiveProxy;

/** What bootstrap gets from the wiring package when it runs with PONTE_WHATSAPP=sandbox. */
class SandboxNetworkTest {

    @Test
    void theSandboxInfoNamesTheChatSocketAndTheRoot() {
        try (SandboxNetwork network = SandboxNetwork.start(SandboxFixture.database(), SandboxSettings.loopback(0))) {
            var info = network.info().orElseThrow();

            assertThat(info.wsUrl()).matches("ws://127\\.0\\.0\\.1:\\d+/ws/chat");
            assertThat(info.rootPublicKey()).hasSize(32).isEqualTo(network.rootPublicKey());
        }
    }

    @Test
    void theEngineBootstrapBuildsDialsTheSandboxTrustsItsRootAndShowsAQr() throws Exception {
        var qrCodes = new LinkedBlockingQueue<String>();
        DataSource database = SandboxFixture.database();
        try (SandboxNetwork network = SandboxNetwork.start(database, SandboxSettings.loopback(0));
                var engine = network.clientFactory("2.3000.1045649367").newEngine(database, new TestCipher(),
                        () -> qrReports(qrCodes), () -> (instance, type, data, at) -> {
                            throw new AssertionError("nothing is received while a QR is shown");
                        }, () -> new InboundMessagesUseCase() {
                            @Override
                            public boolean exchanged(UUID instance, MessageExchanged exchanged) {
                                throw new AssertionError("no message is received while a QR is shown");
                            }

                            @Override
                            public void receipt(UUID instance, Receipt receipt) {
                                throw new AssertionError("no receipt is received while a QR is shown");
                            }

                            @Override
                            public int history(UUID instance, History history) {
                                throw new AssertionError("no history is received while a QR is shown");
                            }
                        }, Clock.systemUTC())) {
            engine.start(UUID.randomUUID(), EffectiveProxy.NONE);

            assertThat(qrCodes.poll(15, TimeUnit.SECONDS)).startsWith("https://wa.me/settings/linked_devices#2@");
        }
    }

    @Test
    void theRealNetworkFactoryRefusesAMalformedVersion() {
        assertThatThrownBy(() -> WireClientFactory.whatsapp("2.3000"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2.3000.");
    }

    /** Reports that keep the QR texts and drop the rest. */
    private static SessionEventsUseCase qrReports(BlockingQueue<String> qrCodes) {
        return new SessionEventsUseCase() {
            @Override
            public void connecting(UUID instanceId) {
            }

            @Override
            public void qrShown(UUID instanceId, String qr, Instant expiresAt) {
                qrCodes.add(qr);
            }

            @Override
            public void connected(UUID instanceId, LinkedAccount account) {
            }

            @Override
            public void accountUpdated(UUID instanceId, LinkedAccount account) {
            }

            @Override
            public void disconnected(UUID instanceId, DisconnectReason reason) {
            }

            @Override
            public void failed(UUID instanceId) {
            }
        };
    }
}
