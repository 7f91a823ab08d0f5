package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static ponte.bootstrap.ErrorEnvelopeTest.assertEnvelope;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ProxyRoutesTest {
    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass();
    private static Http http;

    @BeforeAll
    static void start() {
        http = gateway.http();
    }

    @Test
    void aTenantProxyIsSetMaskedAndReportsNoReconnectWhileNoInstanceIsOnline() {
        var tenant = gateway.newTenant("tenant-proxy");
        gateway.newInstance(tenant, "offline-one");

        var response = http.put("/v1/proxy", tenant.token(),
                "{\"proxy_url\":\"socks5://team:pa55word@proxy.example:1080\"}");

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        var json = response.json();
        assertThat(json.get("success").asBoolean()).isTrue();
        assertThat(json.get("scope").asText()).isEqualTo("tenant");
        assertThat(json.get("proxy_url").asText()).isEqualTo("socks5://team:***@proxy.example:1080");
        assertThat(json.at("/reconnect/scheduled").asInt()).isZero();
        assertThat(response.body()).doesNotContain("pa55word");
        var read = http.get("/v1/proxy", tenant.token()).json();
        assertThat(read.at("/tenant/proxy_url").asText()).isEqualTo("socks5://team:***@proxy.example:1080");
        assertThat(read.get("overrides")).isEmpty();
    }

    @Test
    void theSplitFormIsAcceptedWithThePortAsANumberAndNotAsAString() {
        var tenant = gateway.newTenant("split-form");
        var response = http.put("/v1/proxy", tenant.token(),
                "{\"protocol\":\"http\",\"host\":\"10.0.0.5\",\"port\":8080,\"username\":\"u\","
                        + "\"password\":\"p\"}");
        assertThat(response.json().get("proxy_url").asText()).isEqualTo("http://u:***@10.0.0.5:8080");
        var text = http.put("/v1/proxy", tenant.token(),
                "{\"protocol\":\"http\",\"host\":\"10.0.0.5\",\"port\":\"8080\"}");
        assertThat(text.status()).isEqualTo(400);
        assertThat(text.json().at("/details/0/field").asText()).isEqualTo("port");
    }

    @Test
    void withoutATenantProxyGetShowsNull() {
        var tenant = gateway.newTenant("no-proxy");
        assertThat(http.get("/v1/proxy", tenant.token()).json().get("tenant").isNull()).isTrue();
    }

    @Test
    void deletingTheTenantProxyAnswersTheSameShapeWithANullUrl() {
        var tenant = gateway.newTenant("delete-proxy");
        http.put("/v1/proxy", tenant.token(), "{\"proxy_url\":\"http://proxy.example:3128\"}");

        var json = http.delete("/v1/proxy", tenant.token()).json();

        assertThat(json.get("scope").asText()).isEqualTo("tenant");
        assertThat(json.get("proxy_url").isNull()).isTrue();
        assertThat(json.at("/reconnect/scheduled").asInt()).isZero();
        assertThat(http.get("/v1/proxy", tenant.token()).json().get("tenant").isNull()).isTrue();
    }

    @Test
    void anInvalidProxyIsAValidationErrorNamingTheProblem() {
        var tenant = gateway.newTenant("invalid-proxy");
        var scheme = http.put("/v1/proxy", tenant.token(), "{\"proxy_url\":\"ftp://proxy.example:21\"}");
        assertEnvelope(scheme, 400, "VALIDATION_ERROR");
        assertThat(scheme.json().at("/details/0/field").asText()).isEqualTo("proxy_url");
        var port = http.put("/v1/proxy", tenant.token(),
                "{\"protocol\":\"socks5\",\"host\":\"proxy.example\",\"port\":70000}");
        assertEnvelope(port, 400, "VALIDATION_ERROR");
        assertThat(port.json().at("/details/0/field").asText()).isEqualTo("port");
        var host = http.put("/v1/proxy", tenant.token(),
                "{\"protocol\":\"socks5\",\"host\":\"no such host!\",\"port\":1080}");
        assertThat(host.json().at("/details/0/field").asText()).isEqualTo("host");
        assertThat(http.get("/v1/proxy", tenant.token()).json().get("tenant").isNull()).isTrue();
    }

    @Test
    void anOverrideWinsOverTheTenantProxyAndIsListedAmongTheOverrides() {
        var tenant = gateway.newTenant("override");
        var instance = gateway.newInstance(tenant, "own-proxy");
        http.put("/v1/proxy", tenant.token(), "{\"proxy_url\":\"http://tenant.example:3128\"}");

        var response = http.put("/v1/instances/own-proxy/proxy", tenant.token(),
                "{\"proxy_url\":\"socks5://me:secret-pw@own.example:1080\"}");

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        var json = response.json();
        assertThat(json.get("scope").asText()).isEqualTo("instance");
        assertThat(json.get("instance_id").asText()).isEqualTo(instance.id());
        assertThat(json.get("proxy_url").asText()).isEqualTo("socks5://me:***@own.example:1080");
        assertThat(json.at("/effective/source").asText()).isEqualTo("instance");
        assertThat(json.at("/effective/proxy_url").asText()).isEqualTo("socks5://me:***@own.example:1080");
        assertThat(json.get("reconnect").asText()).isEqualTo("offline");
        var listed = http.get("/v1/proxy", tenant.token()).json().get("overrides");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("instance_id").asText()).isEqualTo(instance.id());
        assertThat(listed.get(0).get("name").asText()).isEqualTo("own-proxy");
        assertThat(listed.get(0).get("proxy_url").asText()).isEqualTo("socks5://me:***@own.example:1080");
    }

    @Test
    void anInstanceWithoutOverrideFollowsTheTenantProxyThenNone() {
        var tenant = gateway.newTenant("follower");
        var instance = gateway.newInstance(tenant, "follows");
        http.put("/v1/proxy", tenant.token(), "{\"proxy_url\":\"http://tenant.example:3128\"}");

        var following = http.get("/v1/instances/" + instance.id() + "/proxy", tenant.token()).json();
        assertThat(following.get("proxy_url").isNull()).isTrue();
        assertThat(following.at("/effective/source").asText()).isEqualTo("tenant");
        assertThat(following.at("/effective/proxy_url").asText()).isEqualTo("http://tenant.example:3128");

        http.delete("/v1/proxy", tenant.token());
        var direct = http.get("/v1/instances/follows/proxy", tenant.token()).json();
        assertThat(direct.at("/effective/source").asText()).isEqualTo("none");
        assertThat(direct.at("/effective/proxy_url").isNull()).isTrue();
    }

    @Test
    void deletingAnOverrideFallsBackToTheTenantProxy() {
        var tenant = gateway.newTenant("fallback");
        gateway.newInstance(tenant, "back");
        http.put("/v1/proxy", tenant.token(), "{\"proxy_url\":\"http://tenant.example:3128\"}");
        http.put("/v1/instances/back/proxy", tenant.token(), "{\"proxy_url\":\"http://own.example:3128\"}");

        var json = http.delete("/v1/instances/back/proxy", tenant.token()).json();

        assertThat(json.get("proxy_url").isNull()).isTrue();
        assertThat(json.at("/effective/source").asText()).isEqualTo("tenant");
        assertThat(json.get("reconnect").asText()).isEqualTo("offline");
        assertThat(http.get("/v1/proxy", tenant.token()).json().get("overrides")).isEmpty();
    }

    @Test
    void anInstanceTokenManagesItsOwnProxyButNotItsSiblingsNorTheTenantProxy() {
        var tenant = gateway.newTenant("scopes");
        var own = gateway.newInstance(tenant, "own");
        gateway.newInstance(tenant, "sibling");

        assertThat(http.put("/v1/instances/own/proxy", own.token(), "{\"proxy_url\":\"http://a.example:1\"}").status())
                .isEqualTo(200);
        assertThat(http.get("/v1/instances/own/proxy", own.token()).status()).isEqualTo(200);
        assertEnvelope(http.put("/v1/instances/sibling/proxy", own.token(), "{\"proxy_url\":\"http://a.example:1\"}"),
                404, "NOT_FOUND");
        assertEnvelope(http.get("/v1/instances/sibling/proxy", own.token()), 404, "NOT_FOUND");
        assertEnvelope(http.put("/v1/proxy", own.token(), "{\"proxy_url\":\"http://a.example:1\"}"), 403, "FORBIDDEN");
        assertEnvelope(http.get("/v1/proxy", own.token()), 403, "FORBIDDEN");
    }

    @Test
    void anotherTenantsInstanceIsNotFound() {
        var owner = gateway.newTenant("owner");
        var stranger = gateway.newTenant("stranger");
        var instance = gateway.newInstance(owner, "private");
        assertEnvelope(http.put("/v1/instances/" + instance.id() + "/proxy", stranger.token(),
                "{\"proxy_url\":\"http://a.example:1\"}"), 404, "NOT_FOUND");
        assertEnvelope(http.delete("/v1/instances/" + instance.id() + "/proxy", stranger.token()), 404, "NOT_FOUND");
    }
}
