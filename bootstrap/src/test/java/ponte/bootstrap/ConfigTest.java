package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {
    @Test
    void theWhatsAppWebVersionIsConfigurableAndChecked() {
        assertThat(Config.fromEnvironment(Map.of("PONTE_WA_VERSION", "2.3000.1099999999")).waVersion())
                .contains("2.3000.1099999999");
        assertThat(Config.fromEnvironment(Map.of()).waVersion()).isEmpty();
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("PONTE_WA_VERSION", "latest")))
                .hasMessageContaining("PONTE_WA_VERSION must look like 2.3000.1045649367");
    }

    @Test
    void aBadPortBlamesOnlyThePort() {
        for (var port : new String[] {"abc", "70000", "-1", "8080.5"}) {
            assertThatThrownBy(() -> Config.fromEnvironment(Map.of("PONTE_PORT", port)))
                    .as(port)
                    .hasMessage("invalid configuration:\n  PONTE_PORT must be a whole number from 0 to 65535, not '"
                            + port + "'");
        }
    }

    @Test
    void thePublicUrlDefaultsToTheConfiguredPort() {
        assertThat(Config.fromEnvironment(Map.of("PONTE_PORT", " 9090 ")).publicUrl())
                .hasToString("http://localhost:9090");
        assertThat(Config.fromEnvironment(Map.of()).publicUrl()).hasToString("http://localhost:8080");
    }

    @Test
    void everyBadVariableIsReportedAtOnce() {
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("PONTE_PORT", "eighty", "PONTE_WHATSAPP", "signal",
                "PONTE_DATABASE_URL", "mysql://x")))
                .hasMessageContaining("PONTE_PORT").hasMessageContaining("PONTE_WHATSAPP")
                .hasMessageContaining("PONTE_DATABASE_URL");
    }

    @Test
    void aSandboxHostedElsewhereIsNamedByItsUrlAndRootTogether() {
        var root = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        var remote = Config.fromEnvironment(Map.of("PONTE_WHATSAPP", "sandbox",
                "PONTE_SANDBOX_URL", "ws://127.0.0.1:8081/ws/chat", "PONTE_SANDBOX_ROOT_KEY", root)).remoteSandbox();
        assertThat(remote).get().extracting(Config.RemoteSandbox::wsUrl).isEqualTo("ws://127.0.0.1:8081/ws/chat");
        assertThat(Config.fromEnvironment(Map.of("PONTE_WHATSAPP", "sandbox")).remoteSandbox()).isEmpty();
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("PONTE_WHATSAPP", "sandbox",
                "PONTE_SANDBOX_URL", "ws://127.0.0.1:8081/ws/chat")))
                .hasMessageContaining("PONTE_SANDBOX_URL and PONTE_SANDBOX_ROOT_KEY go together");
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("PONTE_WHATSAPP", "sandbox",
                "PONTE_SANDBOX_URL", "ws://127.0.0.1:8081/ws/chat", "PONTE_SANDBOX_ROOT_KEY", "c2hvcnQ=")))
                .hasMessageContaining("PONTE_SANDBOX_ROOT_KEY must be the base64 of 32 bytes");
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("PONTE_SANDBOX_URL", "ws://127.0.0.1:8081/ws/chat",
                "PONTE_SANDBOX_ROOT_KEY", root))).hasMessageContaining("needs PONTE_WHATSAPP=sandbox");
    }

    @Test
    void aStandaloneSandboxIsNamedByItsHttpAddressAndReachedWithTheAdminTokenByDefault() {
        var api = Config.fromEnvironment(Map.of("PONTE_WHATSAPP", "sandbox", "PONTE_ADMIN_TOKEN",
                "pta_fleet-admin-token-0123", "PONTE_SANDBOX_URL", "http://sandbox:8081/")).sandboxApi();
        assertThat(api).get().satisfies(a -> {
            assertThat(a.base().toString()).isEqualTo("http://sandbox:8081");
            assertThat(a.token()).isEqualTo("pta_fleet-admin-token-0123");
        });
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("PONTE_WHATSAPP", "sandbox",
                "PONTE_SANDBOX_URL", "http://sandbox:8081"))).hasMessageContaining("PONTE_SANDBOX_TOKEN");
        assertThat(Main.sandboxEnvironment(Map.of("PONTE_SANDBOX_PORT", "9100", "PONTE_DATABASE_URL",
                "jdbc:postgresql://fleet/ponte"))).containsEntry("PONTE_PORT", "9100")
                .containsEntry("PONTE_SANDBOX_PORT", "9101").containsEntry("PONTE_WHATSAPP", "sandbox")
                .containsEntry("PONTE_DATA_DIR", "./data-sandbox").doesNotContainKey("PONTE_DATABASE_URL");
    }
}
