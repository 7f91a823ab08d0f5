package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ponte.testing.PostgresFixture;

/** Two gateway nodes on one database: live events cross through NOTIFY, deliveries are claimed once. */
class CrossNodeTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Map<String, String> ENV = Map.of("PONTE_WEBHOOK_POLL_MS", "100");
    private static GatewayFixture nodeA;
    private static GatewayFixture nodeB;
    private static GatewayFixture.Tenant tenant;

    @BeforeAll
    static void start() {
        var database = PostgresFixture.newDatabase();
        var key = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        var env = new java.util.HashMap<>(ENV);
        env.put("PONTE_MASTER_KEY", key);
        nodeA = GatewayFixture.start(database, env);
        nodeB = GatewayFixture.start(database, env);
        tenant = nodeA.newTenant("two-nodes");
    }

    @AfterAll
    static void stop() {
        nodeA.close();
        nodeB.close();
    }

    @Test
    void eachNodeListsBothNodesForTheAdminOnly() {
        var listing = nodeB.http().get("/v1/nodes", GatewayFixture.ADMIN_TOKEN).json();
        assertThat(listing.get("data")).hasSize(2);
        var self = new java.util.ArrayList<String>();
        listing.get("data").forEach(node -> {
            assertThat(node.get("version").asText()).isNotBlank();
            assertThat(node.get("heartbeat_at").asText()).isNotBlank();
            assertThat(node.get("sessions").asInt()).isNotNegative();
            assertThat(node.get("limit").isNull()).isTrue();
            if (node.get("self").asBoolean()) {
                self.add(node.get("address").asText());
            }
        });
        assertThat(self).hasSize(1);
        assertThat(nodeB.http().get("/v1/nodes", tenant.token()).status()).isEqualTo(403);
    }

    @Test
    void aLiveClientOnOneNodeHearsEventsStoredByTheOther() throws Exception {
        var instance = nodeA.newInstance(tenant, "crossing");
        nodeA.http().put("/v1/instances/" + instance.id() + "/websocket", tenant.token(), "{\"enabled\":true}");
        var url = nodeB.http().base().replace("http://", "ws://") + "/v1/instances/" + instance.id() + "/ws?token="
                + instance.token();
        try (var client = WsClient.connect(url, false)) {
            var event = Events.message(nodeA, tenant, instance, "from node A");
            var frame = client.awaitFrames(1, WAIT).getFirst();
            assertThat(frame).contains(event.eventId().toString()).contains("from node A");
        }
    }

    @Test
    void aQrStreamOnOneNodeIsToldAtOnceOfTheQrTheOtherNodesSessionShows() throws Exception {
        var instance = nodeA.newInstance(tenant, "paired-elsewhere");
        var id = java.util.UUID.fromString(instance.id());
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(nodeB.http().base()
                + "/v1/instances/" + instance.id() + "/qr/stream?token=" + instance.token())).timeout(WAIT).build();
        var response = java.net.http.HttpClient.newHttpClient().send(request,
                java.net.http.HttpResponse.BodyHandlers.ofLines());
        var lines = response.body().iterator();
        assertThat(nextEvent(lines)).startsWith("state").contains("pending");

        // node A's engine reports; node B holds no session and polls nothing: only NOTIFY can wake its stream
        var sessions = nodeA.gateway().sessionEvents();
        long shown = System.nanoTime();
        sessions.connecting(id);
        sessions.qrShown(id, "2@from-node-a", java.time.Instant.now().plusSeconds(60));

        // a watcher is told where the session stands when it wakes: quick changes may reach it as one
        String event;
        do {
            event = nextEvent(lines);
        } while (event.startsWith("state"));
        assertThat(event).startsWith("qr").contains("2@from-node-a");
        assertThat(Duration.ofNanos(System.nanoTime() - shown)).isLessThan(Duration.ofSeconds(5));
        sessions.connected(id, new ponte.domain.instance.LinkedAccount("5511987650300", null, null, null));
    }

    /** The next server-sent event as "name data". */
    private static String nextEvent(java.util.Iterator<String> lines) {
        String event = null;
        while (lines.hasNext()) {
            var line = lines.next();
            if (line.startsWith("event:")) {
                event = line.substring(6).strip();
            } else if (line.startsWith("data:") && event != null) {
                return event + " " + line.substring(5).strip();
            }
        }
        throw new AssertionError("the stream ended");
    }

    @Test
    void bothNodesDispatchButEachDeliveryIsPostedOnce() {
        try (var receiver = Receiver.start()) {
            var instance = nodeA.newInstance(tenant, "shared-queue");
            nodeB.http().post("/v1/instances/" + instance.id() + "/webhooks", tenant.token(),
                    "{\"label\":\"once\",\"url\":\"" + receiver.url("/once") + "\"}");
            int events = 200;
            for (int i = 0; i < events; i++) {
                Events.message(i % 2 == 0 ? nodeA : nodeB, tenant, instance, "n" + i);
            }
            var requests = receiver.await(events, WAIT);
            Receiver.sleep(500);
            var ids = new HashSet<String>();
            receiver.requests().forEach(r -> assertThat(ids.add(r.eventId())).as("posted twice: " + r.eventId())
                    .isTrue());
            assertThat(ids).hasSize(events);
            assertThat(requests).hasSize(events);
        }
    }
}
