package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static ponte.bootstrap.ErrorEnvelopeTest.assertEnvelope;

import java.net.URI;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SandboxInfoTest {
    @Test
    void aSandboxGatewayTellsTheAdminWhereItsNetworkListensAndWhichRootItSignsWith() throws Exception {
        try (var gateway = GatewayFixture.start(Map.of("PONTE_WHATSAPP", "sandbox", "PONTE_SANDBOX_PORT", "0"))) {
            var info = gateway.http().get("/v1/sandbox/info", GatewayFixture.ADMIN_TOKEN);
            assertThat(info.status()).as(info.toString()).isEqualTo(200);
            var url = URI.create(info.json().at("/sandbox/ws_url").asText());
            assertThat(url.getScheme()).isEqualTo("ws");
            assertThat(url.getHost()).isEqualTo("127.0.0.1");
            assertThat(url.getPath()).isEqualTo("/ws/chat");
            assertThat(Base64.getDecoder().decode(info.json().at("/sandbox/root_public_key").asText())).hasSize(32);
            // the same root's X.509 certificate, for other clients of the sandbox's HTTPS media host (Baileys)
            var certificate = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory
                    .getInstance("X.509").generateCertificate(new java.io.ByteArrayInputStream(info.json()
                            .at("/sandbox/media_root_pem").asText().getBytes(
                                    java.nio.charset.StandardCharsets.US_ASCII)));
            assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=Ponte Sandbox Root");
            certificate.verify(certificate.getPublicKey()); // self-signed: a root
            try (var socket = new java.net.Socket(url.getHost(), url.getPort())) {
                assertThat(socket.isConnected()).as("the sandbox listens where it says").isTrue();
            }
            var tenant = gateway.newTenant("not-admin");
            assertEnvelope(gateway.http().get("/v1/sandbox/info", tenant.token()), 403, "FORBIDDEN");
        }
    }

    @Test
    void aGatewayOnWhatsAppHasNoSandbox() {
        try (var gateway = GatewayFixture.start()) {
            var info = gateway.http().get("/v1/sandbox/info", GatewayFixture.ADMIN_TOKEN);
            assertEnvelope(info, 404, "NOT_FOUND");
            assertThat(info.json().get("error").asText()).contains("PONTE_WHATSAPP=sandbox");
        }
    }

    @Test
    void anUnknownNetworkIsAConfigurationError() {
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("PONTE_WHATSAPP", "telegram")))
                .hasMessageContaining("PONTE_WHATSAPP must be one of [whatsapp, sandbox]");
    }
}
