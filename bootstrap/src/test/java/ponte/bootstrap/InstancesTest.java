package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static ponte.bootstrap.ErrorEnvelopeTest.assertEnvelope;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class InstancesTest {
    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass();
    private static Http http;

    @BeforeAll
    static void start() {
        http = gateway.http();
    }

    @Test
    void anAccountCreatesAPendingInstanceWithItsTokenAndMetadata() {
        var tenant = gateway.newTenant("create");
        var response = http.post("/v1/instances", tenant.token(),
                "{\"name\":\"support-line\",\"metadata\":{\"team\":\"support\",\"floor\":3}}");
        assertThat(response.status()).isEqualTo(201);
        var instance = response.json().get("instance");
        assertThat(instance.get("name").asText()).isEqualTo("support-line");
        assertThat(instance.get("status").asText()).isEqualTo("pending");
        assertThat(instance.get("token").asText()).startsWith("pti_");
        assertThat(instance.at("/metadata/floor").asInt()).isEqualTo(3);
        assertThat(instance.get("phone_number").isNull()).isTrue();
        for (var block : new String[] {"proxy", "settings", "webhook", "websocket", "chatwoot", "s3"}) {
            assertThat(response.json().has(block)).as(block).isTrue();
        }
    }

    /** Found by SchemaFuzzTest: a null inside metadata was a 500 (Map.copyOf refuses null values). */
    @Test
    void metadataIsFreeFormJsonNullValuesIncluded() {
        var tenant = gateway.newTenant("null metadata");
        var response = http.post("/v1/instances", tenant.token(),
                "{\"name\":\"nullable\",\"metadata\":{\"team\":null,\"floor\":3}}");
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        var read = http.get("/v1/instances/nullable", tenant.token()).json().at("/instance/metadata");
        assertThat(read.has("team")).isTrue();
        assertThat(read.get("team").isNull()).isTrue();
        assertThat(read.get("floor").asInt()).isEqualTo(3);
    }

    @Test
    void aCustomInstanceTokenWorksAndMustBeUnique() {
        var tenant = gateway.newTenant("custom");
        var token = "my-own-instance-token-" + System.nanoTime();
        var created = http.post("/v1/instances", tenant.token(), "{\"name\":\"one\",\"token\":\"" + token + "\"}");
        assertThat(created.json().at("/instance/token").asText()).isEqualTo(token);
        assertThat(http.get("/v1/me", token).json().get("kind").asText()).isEqualTo("instance");
        var other = gateway.newTenant("custom-other");
        assertEnvelope(http.post("/v1/instances", other.token(), "{\"name\":\"two\",\"token\":\"" + token + "\"}"),
                409, "CONFLICT");
        assertEnvelope(http.post("/v1/instances", tenant.token(), "{\"name\":\"three\",\"token\":\"short\"}"),
                400, "VALIDATION_ERROR");
    }

    @Test
    void aNameIsUniqueWithinATenantButNotAcrossTenants() {
        var first = gateway.newTenant("names-a");
        var second = gateway.newTenant("names-b");
        gateway.newInstance(first, "same");
        assertEnvelope(http.post("/v1/instances", first.token(), "{\"name\":\"same\"}"), 409, "CONFLICT");
        assertThat(http.post("/v1/instances", second.token(), "{\"name\":\"same\"}").status()).isEqualTo(201);
    }

    @Test
    void anInstanceIsFoundByIdOrByName() {
        var tenant = gateway.newTenant("lookup");
        var instance = gateway.newInstance(tenant, "finder");
        assertThat(http.get("/v1/instances/" + instance.id(), tenant.token()).json().at("/instance/name").asText())
                .isEqualTo("finder");
        assertThat(http.get("/v1/instances/finder", tenant.token()).json().at("/instance/id").asText())
                .isEqualTo(instance.id());
        var full = http.get("/v1/instances/finder", tenant.token()).json().get("instance");
        for (var field : new String[] {"status", "status_reason", "phone_number", "lid", "push_name", "platform",
                "last_seen_at", "created_at", "updated_at"}) {
            assertThat(full.has(field)).as(field).isTrue();
        }
    }

    @Test
    void theListShowsTheTenantsLiveInstancesNewestFirstAndFiltersByName() {
        var tenant = gateway.newTenant("listing");
        gateway.newInstance(tenant, "alpha");
        gateway.newInstance(tenant, "beta");
        gateway.newInstance(gateway.newTenant("stranger"), "gamma");
        var names = http.get("/v1/instances", tenant.token()).json().get("data").findValuesAsText("name");
        assertThat(names).containsExactly("beta", "alpha");
        assertThat(http.get("/v1/instances?name=alpha", tenant.token()).json().get("data").findValuesAsText("name"))
                .containsExactly("alpha");
    }

    @Test
    void theListPagesWithACursor() {
        var tenant = gateway.newTenant("pages");
        for (int i = 0; i < 3; i++) {
            gateway.newInstance(tenant, "p" + i);
        }
        var first = http.get("/v1/instances?limit=2", tenant.token()).json();
        assertThat(first.get("data").findValuesAsText("name")).containsExactly("p2", "p1");
        var next = http.get("/v1/instances?limit=2&cursor=" + first.get("next_cursor").asText(), tenant.token()).json();
        assertThat(next.get("data").findValuesAsText("name")).containsExactly("p0");
        assertThat(next.get("next_cursor").isNull()).isTrue();
        assertEnvelope(http.get("/v1/instances?limit=201", tenant.token()), 400, "VALIDATION_ERROR");
        assertEnvelope(http.get("/v1/instances?cursor=not-a-cursor", tenant.token()), 400, "VALIDATION_ERROR");
    }

    @Test
    void anotherTenantsInstanceIsNotFoundNeverForbidden() {
        var owner = gateway.newTenant("owner");
        var instance = gateway.newInstance(owner, "private");
        var stranger = gateway.newTenant("stranger");
        assertEnvelope(http.get("/v1/instances/" + instance.id(), stranger.token()), 404, "NOT_FOUND");
        assertEnvelope(http.get("/v1/instances/private", stranger.token()), 404, "NOT_FOUND");
        assertEnvelope(http.delete("/v1/instances/" + instance.id(), stranger.token()), 404, "NOT_FOUND");
        assertThat(http.get("/v1/instances/" + instance.id(), owner.token()).status()).isEqualTo(200);
    }

    @Test
    void anInstanceTokenSeesItsOwnInstanceOnly() {
        var tenant = gateway.newTenant("scoped");
        var own = gateway.newInstance(tenant, "own");
        var sibling = gateway.newInstance(tenant, "sibling");
        assertThat(http.get("/v1/instances/own", own.token()).status()).isEqualTo(200);
        assertEnvelope(http.get("/v1/instances/" + sibling.id(), own.token()), 404, "NOT_FOUND");
        assertEnvelope(http.get("/v1/instances", own.token()), 403, "FORBIDDEN");
        assertEnvelope(http.post("/v1/instances", own.token(), "{\"name\":\"more\"}"), 403, "FORBIDDEN");
        assertEnvelope(http.delete("/v1/instances/own", own.token()), 403, "FORBIDDEN");
    }

    @Test
    void aSoftDeleteFreesTheNameAndRevokesTheInstanceToken() {
        var tenant = gateway.newTenant("delete");
        var instance = gateway.newInstance(tenant, "temporary");
        assertThat(http.delete("/v1/instances/temporary", tenant.token()).status()).isEqualTo(204);
        assertEnvelope(http.get("/v1/instances/" + instance.id(), tenant.token()), 404, "NOT_FOUND");
        assertEnvelope(http.get("/v1/me", instance.token()), 401, "UNAUTHORIZED");
        assertThat(http.get("/v1/instances", tenant.token()).json().get("data")).isEmpty();
        var again = http.post("/v1/instances", tenant.token(), "{\"name\":\"temporary\"}");
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.json().at("/instance/id").asText()).isNotEqualTo(instance.id());
    }

    @Test
    void theQuotaStopsCreationWithQuotaExceeded() {
        var created = http.post("/v1/tenants", GatewayFixture.ADMIN_TOKEN, "{\"name\":\"small\",\"max_instances\":1}");
        var token = created.json().get("token").asText();
        assertThat(http.post("/v1/instances", token, "{\"name\":\"first\"}").status()).isEqualTo(201);
        assertEnvelope(http.post("/v1/instances", token, "{\"name\":\"second\"}"), 403, "QUOTA_EXCEEDED");
        assertThat(http.delete("/v1/instances/first", token).status()).isEqualTo(204);
        assertThat(http.post("/v1/instances", token, "{\"name\":\"second\"}").status()).isEqualTo(201);
    }

    @Test
    void aNullBlockIsTheSameAsAnAbsentOne() {
        var tenant = gateway.newTenant("null-blocks");
        var response = http.post("/v1/instances", tenant.token(), "{\"name\":\"plain\",\"proxy\":null}");
        assertThat(response.status()).isEqualTo(201);
        assertThat(response.json().get("proxy").isNull()).isTrue();
    }

    @Test
    void aNameShapedLikeAUuidIsRefusedSoItCannotShadowAnotherInstance() {
        var tenant = gateway.newTenant("uuid-names");
        var other = gateway.newInstance(tenant, "target");

        var response = http.post("/v1/instances", tenant.token(), "{\"name\":\"" + other.id() + "\"}");

        assertEnvelope(response, 400, "VALIDATION_ERROR");
        assertThat(response.json().at("/details/0/field").asText()).isEqualTo("name");
        assertThat(http.delete("/v1/instances/" + other.id(), tenant.token()).status()).isEqualTo(204);
    }
}
