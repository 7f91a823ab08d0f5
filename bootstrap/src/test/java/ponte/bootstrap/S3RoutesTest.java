package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static ponte.bootstrap.ErrorEnvelopeTest.assertEnvelope;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** S3 configuration checked with real S3 requests against s3proxy, a real S3-compatible server. */
class S3RoutesTest {
    private static final String ACCESS_KEY = "media-access";
    private static final String SECRET_KEY = "media-secret-9c41e";

    /** One s3proxy for the class: its JUnit extension restarts per test and fails to stop one that stored nothing. */
    private static final S3Server S3 = S3Server.inMemory(ACCESS_KEY, SECRET_KEY);

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass();
    private static Http http;
    private static GatewayFixture.Tenant tenant;

    @BeforeAll
    static void start() throws Exception {
        S3.start();
        createBucket("media-ok");
        http = gateway.http();
        tenant = gateway.newTenant("s3");
    }

    @AfterAll
    static void stop() {
        S3.stop();
    }

    @Test
    void anExistingBucketWithValidCredentialsIsOk() {
        gateway.newInstance(tenant, "s3-ok");

        var response = http.put("/v1/instances/s3-ok/s3", tenant.token(), body("media-ok", ACCESS_KEY, SECRET_KEY));

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        var view = response.json().get("s3");
        assertThat(view.get("status").asText()).as(view.toString()).isEqualTo("ok");
        assertThat(view.get("bucket").asText()).isEqualTo("media-ok");
        assertThat(view.get("endpoint").asText()).isEqualTo(S3.endpoint());
        assertThat(view.get("path_style").asBoolean()).isTrue();
        assertThat(view.get("prefix").asText()).isEqualTo("media/");
        assertThat(view.get("region").asText()).isEqualTo("us-east-1");
    }

    @Test
    void aMissingBucketIsAnErrorNamingIt() {
        gateway.newInstance(tenant, "s3-missing");
        var view = http.put("/v1/instances/s3-missing/s3", tenant.token(), body("no-such-bucket", ACCESS_KEY,
                SECRET_KEY)).json().get("s3");
        assertThat(view.get("status").asText()).isEqualTo("error");
        assertThat(view.get("status_reason").asText()).contains("no-such-bucket").contains("does not exist");
    }

    @Test
    void wrongCredentialsAreAnErrorPointingAtTheKeys() {
        createBucket("media-denied");
        gateway.newInstance(tenant, "s3-denied");
        var view = http.put("/v1/instances/s3-denied/s3", tenant.token(), body("media-denied", ACCESS_KEY,
                "not-the-secret")).json().get("s3");
        assertThat(view.get("status").asText()).isEqualTo("error");
        assertThat(view.get("status_reason").asText()).contains("secret_access_key");
    }

    @Test
    void anUnreachableEndpointIsAnErrorNamingIt() {
        gateway.newInstance(tenant, "s3-unreachable");
        var json = "{\"bucket\":\"media\",\"access_key_id\":\"a\",\"secret_access_key\":\"s\","
                + "\"endpoint\":\"http://127.0.0.1:1\"}";
        var view = http.put("/v1/instances/s3-unreachable/s3", tenant.token(), json).json().get("s3");
        assertThat(view.get("status").asText()).isEqualTo("error");
        assertThat(view.get("status_reason").asText()).contains("could not reach").contains("http://127.0.0.1:1");
    }

    @Test
    void theSecretAccessKeyIsNeverReturned() {
        createBucket("media-secret");
        gateway.newInstance(tenant, "s3-secret");
        var put = http.put("/v1/instances/s3-secret/s3", tenant.token(), body("media-secret", ACCESS_KEY, SECRET_KEY));
        var get = http.get("/v1/instances/s3-secret/s3", tenant.token());
        var instance = http.get("/v1/instances/s3-secret", tenant.token());
        assertThat(instance.json().at("/instance/integrations/s3/status").asText()).isEqualTo("ok");
        for (var response : new Http.Response[] {put, get, instance}) {
            assertThat(response.body()).doesNotContain(SECRET_KEY).doesNotContain("secret_access_key");
        }
    }

    @Test
    void aPutWithoutTheSecretKeepsTheStoredOne() {
        createBucket("media-keep");
        gateway.newInstance(tenant, "s3-keep");
        http.put("/v1/instances/s3-keep/s3", tenant.token(), body("media-keep", ACCESS_KEY, SECRET_KEY));

        var json = "{\"bucket\":\"media-keep\",\"access_key_id\":\"" + ACCESS_KEY + "\",\"endpoint\":\"" + S3.endpoint()
                + "\",\"prefix\":\"other/\"}";
        var view = http.put("/v1/instances/s3-keep/s3", tenant.token(), json).json().get("s3");

        assertThat(view.get("status").asText()).as(view.toString()).isEqualTo("ok");
        assertThat(view.get("prefix").asText()).isEqualTo("other/");
    }

    @Test
    void anInvalidConfigurationIsRefused() {
        gateway.newInstance(tenant, "s3-invalid");
        var response = http.put("/v1/instances/s3-invalid/s3", tenant.token(),
                "{\"bucket\":\"Bad_Bucket\",\"access_key_id\":\"a\",\"secret_access_key\":\"s\","
                        + "\"endpoint\":\"ftp://x\"}");
        assertEnvelope(response, 400, "VALIDATION_ERROR");
        assertThat(response.json().get("details")).extracting(d -> d.get("field").asText())
                .contains("bucket", "endpoint");
    }

    @Test
    void neverConfiguredIsNotFoundAndDeleteRemovesIt() {
        createBucket("media-life");
        gateway.newInstance(tenant, "s3-life");
        assertEnvelope(http.get("/v1/instances/s3-life/s3", tenant.token()), 404, "NOT_FOUND");
        http.put("/v1/instances/s3-life/s3", tenant.token(), body("media-life", ACCESS_KEY, SECRET_KEY));

        assertThat(http.delete("/v1/instances/s3-life/s3", tenant.token()).status()).isEqualTo(204);

        assertEnvelope(http.get("/v1/instances/s3-life/s3", tenant.token()), 404, "NOT_FOUND");
    }

    @Test
    void anInstanceTokenConfiguresItsOwnS3ButNotASiblings() {
        var own = gateway.newInstance(tenant, "s3-own");
        gateway.newInstance(tenant, "s3-sibling");
        createBucket("media-own");
        assertThat(http.put("/v1/instances/s3-own/s3", own.token(), body("media-own", ACCESS_KEY, SECRET_KEY))
                .json().at("/s3/status").asText()).isEqualTo("ok");
        assertEnvelope(http.get("/v1/instances/s3-sibling/s3", own.token()), 404, "NOT_FOUND");
    }

    private static String body(String bucket, String accessKey, String secretKey) {
        return "{\"bucket\":\"" + bucket + "\",\"access_key_id\":\"" + accessKey + "\",\"secret_access_key\":\""
                + secretKey + "\",\"endpoint\":\"" + S3.endpoint() + "\",\"prefix\":\"media/\"}";
    }


    /** Creates a bucket with a signed PUT, as any S3 client would. */
    private static void createBucket(String bucket) {
        try {
            var response = S3.request("PUT", "/" + bucket);
            assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        } catch (Exception e) {
            throw new AssertionError("could not create bucket " + bucket, e);
        }
    }
}
