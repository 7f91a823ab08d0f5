package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import ponte.domain.event.EventType;

/** The live feed over WebSocket and SSE, with real clients. */
class LiveFeedTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass();
    private static Http http;
    private static GatewayFixture.Tenant tenant;

    @BeforeAll
    static void start() {
        http = gateway.http();
        tenant = gateway.newTenant("live");
    }

    @Test
    void anUpgradeIsRefusedWith400WhileTheFeedIsNotEnabled() {
        var instance = gateway.newInstance(tenant, "not-enabled");
        assertThat(WsClient.refusal(ws(instance, instance.token()))).isEqualTo(400);
        http.put(path(instance, "/websocket"), tenant.token(), "{\"enabled\":false}");
        assertThat(WsClient.refusal(ws(instance, instance.token()))).isEqualTo(400);
        assertThat(WsClient.refusal(ws(instance, "wrong-token-0123456789"))).isEqualTo(401);
        ErrorEnvelopeTest.assertEnvelope(http.get(path(instance, "/events/stream"), tenant.token()), 400,
                "VALIDATION_ERROR");
    }

    @Test
    void aRefusedUpgradeAnswersTheErrorEnvelopeWithItsStatusAndNoSessionCookie() {
        var instance = gateway.newInstance(tenant, "refusals");
        var stranger = gateway.newTenant("live-stranger");
        var feed = "/v1/instances/" + instance.id() + "/ws";
        var disabled = WsClient.upgradeRequest(http.base(), feed + "?token=" + instance.token(), Map.of());
        var noToken = WsClient.upgradeRequest(http.base(), feed, Map.of());
        var badToken = WsClient.upgradeRequest(http.base(), feed + "?token=wrong-token-0123456789", Map.of());
        http.put(path(instance, "/websocket"), tenant.token(), "{\"enabled\":true}");
        var otherTenants = WsClient.upgradeRequest(http.base(), feed,
                Map.of("Authorization", "Bearer " + stranger.token()));
        var byName = WsClient.upgradeRequest(http.base(), "/ws/nobody", Map.of("token", tenant.token()));

        ErrorEnvelopeTest.assertEnvelope(disabled, 400, "VALIDATION_ERROR");
        ErrorEnvelopeTest.assertEnvelope(noToken, 401, "UNAUTHORIZED");
        ErrorEnvelopeTest.assertEnvelope(badToken, 401, "UNAUTHORIZED");
        ErrorEnvelopeTest.assertEnvelope(otherTenants, 404, "NOT_FOUND");
        ErrorEnvelopeTest.assertEnvelope(byName, 404, "NOT_FOUND");
        for (var refusal : List.of(disabled, noToken, badToken, otherTenants, byName)) {
            assertThat(refusal.header("Set-Cookie")).as(refusal.toString()).isNull();
            assertThat(refusal.header("Content-Type")).startsWith("application/json");
            assertThat(refusal.json().get("request_id").asText()).isEqualTo(refusal.header("X-Request-Id"));
        }
    }

    @Test
    void anAcceptedUpgradeSetsNoSessionCookie() {
        var instance = gateway.newInstance(tenant, "no-cookie");
        http.put(path(instance, "/websocket"), tenant.token(), "{\"enabled\":true}");
        var accepted = WsClient.upgradeRequest(http.base(), "/v1/instances/" + instance.id() + "/ws?token="
                + instance.token(), Map.of());

        assertThat(accepted.status()).isEqualTo(101);
        assertThat(accepted.header("Set-Cookie")).isNull();
    }

    @Test
    void anEventStoredTheMomentTheUpgradeCompletesReachesTheClient() throws Exception {
        // the client may see its upgrade complete before the server opened the session: it must listen already
        var instance = gateway.newInstance(tenant, "right-away");
        http.put(path(instance, "/websocket"), tenant.token(), "{\"enabled\":true}");
        for (int round = 0; round < 20; round++) {
            try (var client = WsClient.connect(ws(instance, instance.token()), false)) {
                var event = Events.message(gateway, tenant, instance, "round " + round);
                assertThat(client.awaitFrames(1, Duration.ofSeconds(5)).getFirst())
                        .as("round " + round).contains(event.eventId().toString());
            }
        }
    }

    @Test
    void aClientReceivesTheEnvelopesItsConfigurationFiltersFor() throws Exception {
        var instance = gateway.newInstance(tenant, "filtered-live");
        http.put(path(instance, "/websocket"), tenant.token(), "{\"enabled\":true,\"events\":[\"message.status\"]}");
        try (var client = WsClient.connect(ws(instance, instance.token()), false)) {
            Events.message(gateway, tenant, instance, "filtered out");
            var status = Events.ingest(gateway, tenant, instance, EventType.MESSAGE_STATUS,
                    Map.of("type", "read", "message_id", "M1"));
            var frame = JSON.readTree(client.awaitFrames(1, WAIT).getFirst());
            assertThat(frame.get("event_id").asText()).isEqualTo(status.eventId().toString());
            assertThat(frame.get("event").asText()).isEqualTo("message.status");
            assertThat(frame.get("instance_name").asText()).isEqualTo("filtered-live");
            assertThat(frame.at("/data/type").asText()).isEqualTo("read");
            Receiver.sleep(300);
            assertThat(client.frames()).hasSize(1);
        }
    }

    @Test
    void theNameAliasAndAHeaderTokenReachTheSameFeedAndOpenClientsStayWhenItIsDisabled() throws Exception {
        var instance = gateway.newInstance(tenant, "alias-live");
        http.put(path(instance, "/websocket"), tenant.token(), "{\"enabled\":true}");
        var url = http.base().replace("http://", "ws://") + "/ws/alias-live";
        var socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Bearer " + tenant.token());
        var client = new WsClient();
        var opened = socket.buildAsync(URI.create(url), client).join();
        try {
            http.put(path(instance, "/websocket"), tenant.token(), "{\"enabled\":false}");
            Events.message(gateway, tenant, instance, "still here");
            assertThat(client.awaitFrames(1, WAIT).getFirst()).contains("still here");
        } finally {
            opened.abort();
        }
    }

    @Test
    void aClientThatFallsBehindIsClosedWith1013WithoutSlowingTheOthers() throws Exception {
        var instance = gateway.newInstance(tenant, "slow-reader");
        http.put(path(instance, "/websocket"), tenant.token(), "{\"enabled\":true}");
        var padding = "x".repeat(32 * 1024);
        int events = 600;
        try (var slow = WsClient.connect(ws(instance, instance.token()), true);
             var fast = WsClient.connect(ws(instance, instance.token()), false)) {
            for (int i = 0; i < events; i++) {
                Events.ingest(gateway, tenant, instance, EventType.MESSAGE_EXCHANGE,
                        Map.of("type", "text", "text", "n" + i, "padding", padding));
            }
            assertThat(fast.awaitFrames(events, WAIT)).hasSize(events);
            slow.resume();
            assertThat(slow.awaitClose(WAIT)).isEqualTo(1013);
            assertThat(slow.frames().size()).isLessThan(events);
        }
    }

    @Test
    void serverSentEventsCarryTheSameFeed() throws Exception {
        var instance = gateway.newInstance(tenant, "sse-live");
        http.put(path(instance, "/websocket"), tenant.token(), "{\"enabled\":true}");
        var lines = new CopyOnWriteArrayList<String>();
        var request = HttpRequest.newBuilder(URI.create(http.base() + path(instance, "/events/stream")
                + "?token=" + instance.token())).build();
        var response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        var reader = Thread.ofVirtual().start(() -> {
            try (var in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (java.io.IOException ignored) {
                // the stream is closed when the test ends
            }
        });
        try {
            var event = Events.message(gateway, tenant, instance, "over sse");
            awaitLine(lines, "data: ");
            assertThat(lines).contains("event: message.exchange", "id: " + event.eventId());
            var data = lines.stream().filter(l -> l.startsWith("data: ")).findFirst().orElseThrow();
            assertThat(JSON.readTree(data.substring(6)).at("/data/text").asText()).isEqualTo("over sse");
        } finally {
            response.body().close();
            reader.interrupt();
        }
    }

    @Test
    void theOpenApiDocumentDescribesTheLiveRoutes() {
        var paths = http.get("/openapi.json", null).json().get("paths");
        assertThat(paths.has("/v1/instances/{id}/ws")).isTrue();
        assertThat(paths.has("/ws/{name}")).isTrue();
        assertThat(paths.has("/v1/instances/{id}/events/stream")).isTrue();
        assertThat(paths.at("/~1v1~1instances~1{id}~1ws/get/description").asText()).contains("1013");
    }

    private static void awaitLine(List<String> lines, String prefix) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (lines.stream().noneMatch(l -> l.startsWith(prefix)) && System.nanoTime() < deadline) {
            Receiver.sleep(20);
        }
        assertThat(lines).anyMatch(l -> l.startsWith(prefix));
    }

    private static String ws(GatewayFixture.Instance instance, String token) {
        return http.base().replace("http://", "ws://") + "/v1/instances/" + instance.id() + "/ws?token=" + token;
    }

    private static String path(GatewayFixture.Instance instance, String rest) {
        return "/v1/instances/" + instance.id() + rest;
    }
}
