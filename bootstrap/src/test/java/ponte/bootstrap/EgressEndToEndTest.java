package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import ponte.application.port.in.MediaIntakeUseCase.MediaSource;
import ponte.domain.egress.EgressPolicy;
import ponte.domain.validation.ValidationException;

/**
 * A gateway with the default egress policy (no {@code PONTE_EGRESS_ALLOW_PRIVATE}): Chatwoot, media URLs and link
 * previews refuse loopback, private and metadata targets with the reason, also when only DNS says where a name
 * points. (Webhooks: {@code WebhookConfigTest}, {@code WebhookDeliveryTest}; allowed receivers on loopback work in
 * every other end-to-end test, whose gateways set the setting.)
 */
class EgressEndToEndTest {
    private static final String TOKEN = "cw-token-0123456789";
    private static final long ACCOUNT = 3;
    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass(Map.of("PONTE_EGRESS_ALLOW_PRIVATE", "false"));
    private static Http http;
    private static GatewayFixture.Tenant tenant;

    @BeforeAll
    static void start() {
        http = gateway.http();
        tenant = gateway.newTenant("egress");
    }

    @Test
    void aChatwootOnLoopbackOrTheMetadataServiceIsRefusedWhenConfiguredAndNotContacted() {
        try (var chatwoot = new FakeChatwoot(TOKEN, ACCOUNT)) {
            gateway.newInstance(tenant, "cw-loopback");
            var answer = http.put("/v1/instances/cw-loopback/chatwoot", tenant.token(), body(chatwoot.baseUrl()));
            assertThat(answer.status()).isEqualTo(400);
            var detail = answer.json().at("/details/0");
            assertThat(detail.get("field").asText()).isEqualTo("base_url");
            assertThat(detail.get("problem").asText()).contains("127.0.0.1")
                    .contains("loopback or private-network").contains("PONTE_EGRESS_ALLOW_PRIVATE=true");
            assertThat(chatwoot.inboxes()).isEmpty();
            assertThat(chatwoot.createRequests()).isEmpty();
            assertThat(http.get("/v1/instances/cw-loopback/chatwoot", tenant.token()).json().at("/chatwoot/base_url")
                    .asText("")).isNotEqualTo(chatwoot.baseUrl());

            gateway.newInstance(tenant, "cw-metadata");
            answer = http.put("/v1/instances/cw-metadata/chatwoot", tenant.token(), body("http://169.254.169.254"));
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.json().at("/details/0/problem").asText()).contains("link-local or cloud-metadata")
                    .contains("PONTE_EGRESS_ALLOW_LINK_LOCAL=true");
        }
    }

    @Test
    void aMediaUrlOrPreviewOnANameThatResolvesToThisMachineIsRefusedWithTheReason() throws Exception {
        var name = InetAddress.getLocalHost().getHostName();
        Assumptions.assumeTrue(Arrays.stream(InetAddress.getAllByName(name)).allMatch(EgressPolicy.STRICT::refuses),
                name + " resolves to a public address");
        try (var pages = new Pages()) {
            pages.put("/a.png", "image/png", new byte[] {1, 2, 3});
            pages.put("/page", "text/html", "<title>private</title>".getBytes(StandardCharsets.UTF_8));
            var useCases = gateway.gateway().useCases();
            var url = pages.url("/a.png").replace("127.0.0.1", name);
            assertThatThrownBy(() -> useCases.mediaIntake().accept(
                    new MediaSource("image", url, null, null, null, false)))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("refused: " + name + " resolves to ")
                    .hasMessageContaining("PONTE_EGRESS_ALLOW_PRIVATE=true");
            assertThat(useCases.linkPreviews().preview("see " + pages.url("/page").replace("127.0.0.1", name)))
                    .isEmpty();
        }
    }

    private static String body(String baseUrl) {
        return "{\"base_url\":\"" + baseUrl + "\",\"account_id\":" + ACCOUNT + ",\"api_token\":\"" + TOKEN
                + "\",\"inbox_name\":\"WhatsApp\"}";
    }
}
