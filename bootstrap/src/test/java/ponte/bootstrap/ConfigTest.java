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
    void everyBadVariableIsReportedAtOnce() {
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("PONTE_PORT", "eighty", "PONTE_WHATSAPP", "signal",
                "PONTE_DATABASE_URL", "mysql://x")))
                .hasMessageContaining("PONTE_PORT").hasMessageContaining("PONTE_WHATSAPP")
                .hasMessageContaining("PONTE_DATABASE_URL");
    }
}
