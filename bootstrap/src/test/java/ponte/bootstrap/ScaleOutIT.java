package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ponte.testing.PostgresFixture;

/**
 * Packaged gateway processes on one PostgreSQL, dialling one standalone sandbox ({@code ./ponte sandbox}, found
 * through {@code PONTE_SANDBOX_URL=http://...}): each instance runs on exactly one node (no instance is ever {@code replaced}, every phone's message
 * arrives once), a command sent to a node that does not run the session reaches the one that does, a
 * {@code kill -9}'d node's instances connect elsewhere within 30 s, and a {@code SIGTERM}'d node's within 10 s.
 * Few instances, to keep the suite's cost small; docs/scale-out.md has the 60-instance run.
 */
class ScaleOutIT {
    private static final String ADMIN = "pta_scale-out-admin-token-0123456789";
    private static final String SENDER = "5511987654900";
    /** Even; {@code -Dscale.instances=60} is the run docs/scale-out.md quotes. */
    private static final int INSTANCES = Integer.getInteger("scale.instances", 4);
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @TempDir
    Path networkData;

    @TempDir
    Path dataA;

    @TempDir
    Path dataB;

    @TempDir
    Path dataC;

    @AfterEach
    void leaveNothingRunning() throws Exception {
        GatewayProcess.stopOrphanedPostgres(networkData);
    }

    @Test
    void eachInstanceRunsOnOneNodeAndMovesWhenItsNodeDiesOrStops() throws Exception {
        var database = PostgresFixture.newDatabase();
        try (var receiver = Receiver.start();
             var whatsapp = GatewayProcess.startSandbox(networkData, Map.of("PONTE_ADMIN_TOKEN", ADMIN))) {
            whatsapp.awaitHealthy(PATIENCE);
            var network = whatsapp.http();
            var phones = new ArrayList<String>();
            for (int i = 0; i <= INSTANCES; i++) {
                var phone = i == INSTANCES ? SENDER : "5511987654" + (100 + i);
                assertThat(network.post("/v1/sandbox/phones", ADMIN, "{\"phone_number\":\"" + phone
                        + "\",\"push_name\":\"p" + i + "\"}").status()).isEqualTo(201);
                phones.add(phone);
            }
            var env = new HashMap<>(Map.of(
                    "PONTE_DATABASE_URL", database.jdbcUrl(),
                    "PONTE_DATABASE_USER", database.user(),
                    "PONTE_DATABASE_PASSWORD", database.password(),
                    "PONTE_ADMIN_TOKEN", ADMIN,
                    "PONTE_MASTER_KEY", java.util.Base64.getEncoder().encodeToString(new byte[32]),
                    "PONTE_WHATSAPP", "sandbox",
                    "PONTE_SANDBOX_URL", network.base(),
                    "PONTE_WEBHOOK_POLL_MS", "200"));
            env.put("PONTE_RATE_LIMIT_INSTANCE_CREATES", "1000");
            var a = GatewayProcess.start(dataA, env);
            var b = GatewayProcess.start(dataB, env);
            GatewayProcess c = null;
            try {
                a.awaitHealthy(PATIENCE);
                b.awaitHealthy(PATIENCE);
                var token = a.http().post("/v1/tenants", ADMIN, "{\"name\":\"fleet\"}").json().get("token")
                        .asText();
                var ids = new ArrayList<String>();
                for (int i = 0; i < INSTANCES; i++) {
                    var node = i % 2 == 0 ? a : b;
                    var id = node.http().post("/v1/instances", token, "{\"name\":\"shop" + i + "\",\"webhook\":"
                            + "{\"url\":\"" + receiver.url("/hook") + "\",\"events\":[\"instance.state\","
                            + "\"message.exchange\"]}}").json().at("/instance/id").asText();
                    ids.add(id);
                    var raw = node.http().post("/v1/instances/" + id + "/connect", token, null).json()
                            .at("/qr/raw").asText();
                    var scan = network.post("/v1/sandbox/phones/" + phones.get(i) + "/scan", ADMIN,
                            "{\"qr\":\"" + raw + "\"}");
                    assertThat(scan.status()).as(scan.toString()).isEqualTo(200);
                }
                var nodeA = nodeId(a);
                var nodeB = nodeId(b);
                awaitOwners(a, token, ids, owners -> owners.values().stream().allMatch(o -> o != null)
                        && count(owners, nodeA) == INSTANCES / 2 && count(owners, nodeB) == INSTANCES / 2, PATIENCE);
                var nodes = a.http().get("/v1/nodes", ADMIN).json().get("data");
                assertThat(nodes).hasSize(2);
                nodes.forEach(n -> assertThat(n.get("sessions").asInt()).isEqualTo(INSTANCES / 2));

                // a command on the node that does not run the session is carried out by the one that does
                var owners = owners(a, token, ids);
                var onA = ids.stream().filter(id -> nodeA.equals(owners.get(id))).findFirst().orElseThrow();
                var restarted = b.http().post("/v1/instances/" + onA + "/restart", token, null);
                assertThat(restarted.status()).as(restarted.toString()).isEqualTo(200);
                awaitOwners(b, token, ids, now -> connected(b, token, onA) && nodeA.equals(now.get(onA)),
                        Duration.ofSeconds(30));

                // every phone's message reaches its instance once, whichever node runs it
                for (int i = 0; i < INSTANCES; i++) {
                    var sent = network.post("/v1/sandbox/phones/" + SENDER + "/messages", ADMIN,
                            "{\"to\":\"" + phones.get(i) + "\",\"text\":\"ola " + i + "\"}");
                    assertThat(sent.status()).as(sent.toString()).isEqualTo(200);
                }
                receiver.await(INSTANCES, r -> received(r.json()), PATIENCE);

                // kill -9: its instances connect on the other node within 30 s
                long killed = System.nanoTime();
                a.kill();
                awaitOwners(b, token, ids, now -> ids.stream().allMatch(id -> nodeB.equals(now.get(id))
                        && connected(b, token, id)), Duration.ofSeconds(30));
                var afterKill = Duration.ofNanos(System.nanoTime() - killed);

                // a third node joins and takes its share gently; then SIGTERM hands B's over at once
                var third = GatewayProcess.start(dataC, env);
                c = third;
                third.awaitHealthy(PATIENCE);
                var nodeC = nodeId(third);
                awaitOwners(third, token, ids, now -> count(now, nodeC) == INSTANCES / 2, PATIENCE);
                long stopping = System.nanoTime();
                assertThat(b.stop()).isIn(0, 143);
                awaitOwners(third, token, ids, now -> ids.stream().allMatch(id -> nodeC.equals(now.get(id))
                        && connected(third, token, id)), Duration.ofSeconds(10));
                var afterStop = Duration.ofNanos(System.nanoTime() - stopping);

                Receiver.sleep(1000);
                var receivedIds = new HashMap<String, List<String>>();
                var replaced = new ArrayList<String>();
                for (var request : receiver.requests()) {
                    var event = request.json();
                    if (received(event)) {
                        receivedIds.computeIfAbsent(event.get("instance_id").asText(), k -> new ArrayList<>())
                                .add(event.at("/data/message/id").asText() + " " + event.get("event_id").asText());
                    }
                    if ("replaced".equals(event.at("/data/status_reason").asText(null))) {
                        replaced.add(event.get("instance_name").asText());
                    }
                }
                assertThat(replaced).as("WhatsApp never saw one device twice").isEmpty();
                for (var id : ids) {
                    // a webhook POSTed just before its node was killed is POSTed again (at least once), as the
                    // same event: what counts is one message, stored and announced once
                    assertThat(new HashSet<>(receivedIds.get(id))).as("one message, announced once").hasSize(1);
                }
                System.out.printf("scale-out: kill -9 -> elsewhere in %d ms, SIGTERM -> moved in %d ms%n",
                        afterKill.toMillis(), afterStop.toMillis());
            } finally {
                a.close();
                b.close();
                if (c != null) {
                    c.close();
                }
            }
        }
    }

    private static boolean received(JsonNode event) {
        return event.get("event").asText().equals("message.exchange")
                && event.at("/data/type").asText().equals("received");
    }

    private static String nodeId(GatewayProcess node) {
        for (var n : node.http().get("/v1/nodes", ADMIN).json().get("data")) {
            if (n.get("self").asBoolean()) {
                return n.get("id").asText();
            }
        }
        throw new AssertionError("no node says it is itself");
    }

    private static long count(Map<String, String> owners, String node) {
        return owners.values().stream().filter(node::equals).count();
    }

    private static boolean connected(GatewayProcess node, String token, String id) {
        return node.http().get("/v1/instances/" + id, token).json().at("/instance/status").asText()
                .equals("connected");
    }

    private static Map<String, String> owners(GatewayProcess node, String token, List<String> ids) {
        var owners = new LinkedHashMap<String, String>();
        for (var id : ids) {
            var owner = node.http().get("/v1/instances/" + id, token).json().at("/instance/node_id");
            owners.put(id, owner.isNull() || owner.isMissingNode() ? null : owner.asText());
        }
        return owners;
    }

    private static void awaitOwners(GatewayProcess node, String token, List<String> ids,
                                    Predicate<Map<String, String>> done, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        Map<String, String> now = Map.of();
        while (System.nanoTime() < deadline) {
            now = owners(node, token, ids);
            if (done.test(now)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not within " + limit + "; owners now " + now + "\n" + node.output());
    }
}
