package ponte.adapters.whatsapp.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.client.ConnectionStatus;
import ponte.adapters.whatsapp.store.DeviceCredentials;
import ponte.adapters.whatsapp.client.WireClient;
import ponte.adapters.whatsapp.sandbox.SandboxFixture;

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
    void theGatewaysOwnClientDialsTheSandboxTrustsItsRootAndIsShownAQr() throws Exception {
        var qrCodes = new LinkedBlockingQueue<String>();
        try (SandboxNetwork network = SandboxNetwork.start(SandboxFixture.database(), SandboxSettings.loopback(0));
                WireClient client = network.clientFactory("2.3000.1045649367").newClient(
                        DeviceCredentials.generate(new SecureRandom()), Optional.empty(), new WireClient.Listener() {
                            @Override
                            public void onStatus(ConnectionStatus status) {
                            }

                            @Override
                            public void onQr(String qrText) {
                                qrCodes.add(qrText);
                            }
                        })) {
            client.connect();

            assertThat(qrCodes.poll(15, TimeUnit.SECONDS)).startsWith("https://wa.me/settings/linked_devices#2@");
        }
    }

    @Test
    void theRealNetworkFactoryRefusesAMalformedVersion() {
        assertThatThrownBy(() -> WireClientFactory.whatsapp("2.3000"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2.3000.");
    }
}
