package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PublicUrlConfigTest {
    @Test
    void withoutPublicUrlTheGatewayNamesItselfOnLocalhostAndItsPort() {
        assertThat(Config.fromEnvironment(Map.of("PONTE_PORT", "9090")).publicUrl())
                .isEqualTo(URI.create("http://localhost:9090"));
    }

    @Test
    void aConfiguredPublicUrlIsUsedAsItIs() {
        assertThat(Config.fromEnvironment(Map.of("PONTE_PUBLIC_URL", "https://ponte.example.com")).publicUrl())
                .isEqualTo(URI.create("https://ponte.example.com"));
    }

    @Test
    void aPublicUrlThatIsNotHttpStopsTheStartNamingTheVariable() {
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("PONTE_PUBLIC_URL", "ponte.example.com")))
                .hasMessageContaining("PONTE_PUBLIC_URL");
    }
}
