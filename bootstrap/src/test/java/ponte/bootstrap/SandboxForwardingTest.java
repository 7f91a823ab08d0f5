package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static ponte.bootstrap.ErrorEnvelopeTest.assertEnvelope;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A gateway that dials a standalone sandbox ({@code PONTE_SANDBOX_URL=http://...}) answers its own
 * {@code /v1/sandbox/...} routes for that sandbox: each is forwarded with the sandbox's admin token (here not the
 * node's own, so the test would see a forwarded node token refused) and answered as the sandbox answers it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SandboxForwardingTest {
    private static final String SANDBOX_TOKEN = "pta_standalone-sandbox-token-0123456789";
    private static final String ANA = "5511987651001";
    private static final String BETO = "5511987651002";
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final HttpClient RAW = HttpClient.newHttpClient();

    private static GatewayFixture sandbox;
    private static GatewayFixture node;

    @BeforeAll
    static void startTheSandboxAndANodeDiallingIt() {
        sandbox = GatewayFixture.start(Map.of("PONTE_WHATSAPP", "sandbox", "PONTE_SANDBOX_PORT", "0",
                "PONTE_ADMIN_TOKEN", SANDBOX_TOKEN));
        node = GatewayFixture.start(Map.of("PONTE_WHATSAPP", "sandbox",
                "PONTE_SANDBOX_URL", sandbox.http().base(), "PONTE_SANDBOX_TOKEN", SANDBOX_TOKEN));
    }

    @AfterAll
    static void stop() {
        node.close();
        sandbox.close();
    }

    @Test
    @Order(1)
    void phonesLinkAnInstanceOfTheNodeSendAndReadFilesAllThroughTheNodesOwnRoutes() throws Exception {
        var http = node.http();
        var admin = GatewayFixture.ADMIN_TOKEN;
        var info = http.get("/v1/sandbox/info", admin);
        assertThat(info.status()).as(info.toString()).isEqualTo(200);
        assertThat(info.body()).isEqualTo(sandbox.http().get("/v1/sandbox/info", SANDBOX_TOKEN).body());
        for (var phone : new String[] {ANA, BETO}) {
            var created = http.post("/v1/sandbox/phones", admin, "{\"phone_number\":\"" + phone
                    + "\",\"push_name\":\"p" + phone.substring(10) + "\"}");
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
        }
        assertThat(sandbox.http().get("/v1/sandbox/phones/" + ANA + "/devices", SANDBOX_TOKEN).status())
                .as("the phone lives in the standalone sandbox").isEqualTo(200);
        assertEnvelope(http.post("/v1/sandbox/phones", admin, "{\"phone_number\":\"" + ANA
                + "\",\"push_name\":\"again\"}"), 409, "CONFLICT");

        // an instance of the node links by Ana's scan, made through the node
        var tenant = node.newTenant("forwarded");
        var shop = node.newInstance(tenant, "shop");
        var raw = http.post("/v1/instances/" + shop.id() + "/connect", tenant.token(), null).json()
                .at("/qr/raw").asText();
        var scan = http.post("/v1/sandbox/phones/" + ANA + "/scan", admin, "{\"qr\":\"" + raw + "\"}");
        assertThat(scan.status()).as(scan.toString()).isEqualTo(200);
        await(() -> http.get("/v1/instances/" + shop.id(), tenant.token()).json().at("/instance/status").asText()
                .equals("connected"), "the instance connected");
        assertThat(http.get("/v1/sandbox/phones/" + ANA + "/devices", admin).json().get("devices"))
                .as("Ana's linked devices, read through the node").hasSize(1);

        // the instance writes to Beto; Beto's inbox, read through the node, has it
        var sent = http.post("/v1/instances/" + shop.id() + "/messages/text", tenant.token(),
                "{\"to\":\"" + BETO + "\",\"text\":\"ola Beto\"}");
        assertThat(sent.status()).as(sent.toString()).isEqualTo(202);
        await(() -> inbox(http, admin, BETO).stream().anyMatch(m -> "ola Beto".equals(m.at("/text").asText(null))
                || "ola Beto".equals(m.at("/text/body").asText(null))), "Beto read the instance's text");

        // a file both ways through the node: Beto sends Ana a document, Ana's download comes back byte for byte
        var file = "forwarded bytes, not JSON: \u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1);
        var media = http.post("/v1/sandbox/phones/" + BETO + "/media", admin, "{\"to\":\"" + ANA
                + "\",\"type\":\"document\",\"mime_type\":\"application/octet-stream\",\"file_name\":\"x.bin\","
                + "\"base64\":\"" + java.util.Base64.getEncoder().encodeToString(file) + "\"}");
        assertThat(media.status()).as(media.toString()).isEqualTo(200);
        var id = media.json().at("/message/id").asText();
        await(() -> inbox(http, admin, ANA).stream().anyMatch(m -> id.equals(m.get("id").asText())), "Ana got it");
        var download = RAW.send(HttpRequest.newBuilder(URI.create(http.base() + "/v1/sandbox/phones/" + ANA
                + "/media/" + id)).header("Authorization", "Bearer " + admin).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(download.body()).isEqualTo(file);
    }

    @Test
    @Order(2)
    void everySandboxRouteAnswersThroughTheNodeAsTheSandboxItselfAnswers() {
        var routes = new ArrayList<String>();
        var paths = node.http().get("/openapi.json", null).json().get("paths");
        paths.fieldNames().forEachRemaining(path -> {
            if (path.startsWith("/v1/sandbox/")) {
                paths.get(path).fieldNames().forEachRemaining(method -> routes.add(method.toUpperCase() + " "
                        + path));
            }
        });
        assertThat(routes).as("API.md's sandbox routes").hasSizeGreaterThan(30);
        var tenant = node.newTenant("not-admin");
        for (var route : routes) {
            var method = route.substring(0, route.indexOf(' '));
            // a phone no one created and placeholders for the rest: the sandbox's own refusal, not the node's
            var path = route.substring(route.indexOf(' ') + 1).replace("{phone}", "4915100000099")
                    .replace("{jid}", "120363000000000001@g.us").replace("{message_id}", "3EB0000000000000")
                    .replace("{call_id}", "CALL0000").replace("{action}", "accept").replace("{label}", "1");
            var body = method.equals("GET") || method.equals("DELETE") ? null : "{}";
            var direct = sandbox.http().send(method, path, SANDBOX_TOKEN, body, Map.of());
            var forwarded = node.http().send(method, path, GatewayFixture.ADMIN_TOKEN, body, Map.of());
            assertThat(forwarded.status()).as(route + ": " + forwarded).isEqualTo(direct.status());

            if (direct.status() >= 400) {
                assertThat(forwarded.json().get("error_code")).as(route).isEqualTo(direct.json().get("error_code"));
                assertThat(forwarded.json().get("error")).as(route).isEqualTo(direct.json().get("error"));
                assertThat(forwarded.json().get("request_id").asText()).as("one request id in both processes")
                        .isEqualTo(forwarded.header("X-Request-Id"));
            }
            // the node's own checks still come first: an account token is refused there
            assertEnvelope(node.http().send(method, path, tenant.token(), body, Map.of()), 403, "FORBIDDEN");
        }
    }

    @Test
    @Order(3)
    void aSandboxThatIsGoneIsUnavailableInTheEnvelope() {
        sandbox.close();
        var answer = node.http().get("/v1/sandbox/phones/" + ANA + "/devices", GatewayFixture.ADMIN_TOKEN);
        assertEnvelope(answer, 503, "UNAVAILABLE");
        assertThat(answer.json().get("error").asText()).contains("standalone sandbox");
    }

    private static java.util.List<JsonNode> inbox(Http http, String admin, String phone) {
        var list = new ArrayList<JsonNode>();
        http.get("/v1/sandbox/phones/" + phone + "/messages", admin).json().get("messages").forEach(list::add);
        return list;
    }

    private static void await(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
