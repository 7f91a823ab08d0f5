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
