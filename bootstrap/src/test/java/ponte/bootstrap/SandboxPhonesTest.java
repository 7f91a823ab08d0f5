package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static ponte.bootstrap.ErrorEnvelopeTest.assertEnvelope;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sandbox's phone routes over HTTP; linking itself is proven beside the sandbox, in adapters-whatsapp. */
class SandboxPhonesTest {
    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass(
            Map.of("PONTE_WHATSAPP", "sandbox", "PONTE_SANDBOX_PORT", "0"));

    @Test
    void theAdminCreatesAPhoneAndASecondOneWithTheSameNumberIsAConflict() {
        var created = gateway.http().post("/v1/sandbox/phones", GatewayFixture.ADMIN_TOKEN,
                "{\"phone_number\": \"5511987650001\", \"push_name\": \"Ana\"}");

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().at("/phone/phone_number").asText()).isEqualTo("5511987650001");
        assertThat(created.json().at("/phone/push_name").asText()).isEqualTo("Ana");
        assertThat(created.json().at("/phone/lid").asText()).hasSize(15);
        assertEnvelope(gateway.http().post("/v1/sandbox/phones", GatewayFixture.ADMIN_TOKEN,
                "{\"phone_number\": \"5511987650001\", \"push_name\": \"Bia\"}"), 409, "CONFLICT");
    }

    @Test
    void aNumberThatIsNotInternationalDigitsIsAValidationError() {
        var response = gateway.http().post("/v1/sandbox/phones", GatewayFixture.ADMIN_TOKEN,
                "{\"phone_number\": \"+55 (11) 9\", \"push_name\": \"Ana\"}");

        assertEnvelope(response, 400, "VALIDATION_ERROR");
        assertThat(response.json().at("/details/0/field").asText()).isEqualTo("phone_number");
    }

    @Test
    void scanningAQrNoInstanceShowsIsNotFoundAndAMissingQrIsInvalid() {
        gateway.http().post("/v1/sandbox/phones", GatewayFixture.ADMIN_TOKEN,
                "{\"phone_number\": \"5511987650002\", \"push_name\": \"Caio\"}");
        String stale = "https://wa.me/settings/linked_devices#2@eA==,AA==,AA==,AA==,1";

        assertEnvelope(gateway.http().post("/v1/sandbox/phones/5511987650002/scan", GatewayFixture.ADMIN_TOKEN,
                "{\"qr\": \"" + stale + "\"}"), 404, "NOT_FOUND");
        assertEnvelope(gateway.http().post("/v1/sandbox/phones/5511987650002/scan", GatewayFixture.ADMIN_TOKEN,
                "{}"), 400, "VALIDATION_ERROR");
        assertEnvelope(gateway.http().post("/v1/sandbox/phones/4915100000000/scan", GatewayFixture.ADMIN_TOKEN,
                "{\"qr\": \"" + stale + "\"}"), 404, "NOT_FOUND");
    }

    @Test
    void aCodeNoInstanceAskedForIsNotFoundAndAMistypedOneIsInvalid() {
        gateway.http().post("/v1/sandbox/phones", GatewayFixture.ADMIN_TOKEN,
                "{\"phone_number\": \"5511987650003\", \"push_name\": \"Duda\"}");

        assertEnvelope(gateway.http().post("/v1/sandbox/phones/5511987650003/link-code",
                GatewayFixture.ADMIN_TOKEN, "{\"code\": \"ABCD-EFGH\"}"), 404, "NOT_FOUND");
        assertEnvelope(gateway.http().post("/v1/sandbox/phones/5511987650003/link-code",
                GatewayFixture.ADMIN_TOKEN, "{\"code\": \"0000-OOOO\"}"), 400, "VALIDATION_ERROR");
    }

    @Test
    void onlyTheAdminDrivesThePhones() {
        var tenant = gateway.newTenant("not-admin");

        assertEnvelope(gateway.http().post("/v1/sandbox/phones", tenant.token(),
                "{\"phone_number\": \"5511987650004\", \"push_name\": \"Eva\"}"), 403, "FORBIDDEN");
    }
}
