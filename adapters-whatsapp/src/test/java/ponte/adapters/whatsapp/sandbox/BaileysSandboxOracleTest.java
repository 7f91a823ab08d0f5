package ponte.adapters.whatsapp.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.oracle.BaileysOracle;
import ponte.adapters.whatsapp.wiring.SandboxNetwork;
import ponte.adapters.whatsapp.wiring.SandboxSettings;

/** An unmodified Baileys client, trusting only the sandbox's root, handshakes with the sandbox and gets a QR. */
class BaileysSandboxOracleTest {

    @Test
    void baileysCompletesTheHandshakeWithTheSandboxAndIsShownAQr() {
        BaileysOracle baileys = BaileysOracle.get();
        try (SandboxNetwork network = SandboxNetwork.start(SandboxFixture.database(), SandboxSettings.loopback(0))) {
            JsonNode answer = baileys.call(BaileysOracle.request("showQr")
                    .put("wsUrl", network.wsUrl())
                    .put("rootPublicKey", HexFormat.of().formatHex(network.rootPublicKey()))
                    .put("timeoutMs", 15000));

            assertThat(answer.path("error").asText("")).isEmpty();
            assertThat(answer.path("qr").asText()).startsWith("https://wa.me/settings/linked_devices#2@");
        }
    }
}
