package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ponte.testing.PostgresFixture;

/**
 * Issue 14, with real processes: node A reaches PostgreSQL through a TCP proxy, node B directly. When the proxy is
 * cut (every connection closed, no new one accepted), A can no longer renew its lease: its watchdog stops the
 * session before the lease can expire, and only then does B take the instance over and connect it. The order is
 * shown with timestamps: A's log line saying it stopped its sessions, B's {@code connected} event for the instance.
 */
class DatabaseCutIT {
    private static final String ADMIN = "pta_database-cut-admin-token-0123456789";
    private static final String PHONE = "5511987654950";
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    /** The watchdog's warning, as java.util.logging's default format writes it (local time, whole seconds). */
    private static final Pattern STOPPED = Pattern.compile("^(\\w{3} \\d{2}, \\d{4} \\d{1,2}:\\d{2}:\\d{2} [AP]M) "
            + "ponte\\.application\\.service\\.SessionOwnershipService enforceDeadline\\R"
            + "WARNING: no lease renewal for \\d+ s: stopped this node's 1 session", Pattern.MULTILINE);
    private static final java.time.format.DateTimeFormatter JUL_TIME = java.time.format.DateTimeFormatter
            .ofPattern("MMM dd, yyyy h:mm:ss a", java.util.Locale.getDefault());

    @TempDir
    Path networkData;

    @TempDir
    Path dataA;

    @TempDir
    Path dataB;

    @AfterEach
    void leaveNothingRunning() throws Exception {
        GatewayProcess.stopOrphanedPostgres(networkData);
    }

    @Test
    void aNodeCutFromTheDatabaseStopsItsSessionBeforeAnotherStartsIt() throws Exception {
        var database = PostgresFixture.newDatabase();
        var direct = URI.create(database.jdbcUrl().substring("jdbc:".length()));
        try (var receiver = Receiver.start();
             var proxy = TcpProxy.start(direct.getHost(), direct.getPort());
             var whatsapp = GatewayProcess.startSandbox(networkData, Map.of("PONTE_ADMIN_TOKEN", ADMIN))) {
            whatsapp.awaitHealthy(PATIENCE);
            var network = whatsapp.http();
            assertThat(network.post("/v1/sandbox/phones", ADMIN, "{\"phone_number\":\"" + PHONE
                    + "\",\"push_name\":\"Ana\"}").status()).isEqualTo(201);
            var env = new HashMap<>(Map.of(
                    "PONTE_DATABASE_USER", database.user(),
                    "PONTE_DATABASE_PASSWORD", database.password(),
                    "PONTE_ADMIN_TOKEN", ADMIN,
                    "PONTE_MASTER_KEY", java.util.Base64.getEncoder().encodeToString(new byte[32]),
                    "PONTE_WHATSAPP", "sandbox",
                    "PONTE_SANDBOX_URL", network.base(),
                    "PONTE_WEBHOOK_POLL_MS", "200"));
            var envA = new HashMap<>(env);
            envA.put("PONTE_DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + proxy.port() + direct.getPath());
            var envB = new HashMap<>(env);
            envB.put("PONTE_DATABASE_URL", database.jdbcUrl());
            var a = GatewayProcess.start(dataA, envA);
            GatewayProcess b = null;
            try {
                a.awaitHealthy(PATIENCE);
                var token = a.http().post("/v1/tenants", ADMIN, "{\"name\":\"cut\"}").json().get("token").asText();
                var id = a.http().post("/v1/instances", token, "{\"name\":\"shop\",\"webhook\":{\"url\":\""
                        + receiver.url("/hook") + "\",\"events\":[\"instance.state\"]}}").json()
                        .at("/instance/id").asText();
                var raw = a.http().post("/v1/instances/" + id + "/connect", token, null).json().at("/qr/raw")
                        .asText();
                assertThat(network.post("/v1/sandbox/phones/" + PHONE + "/scan", ADMIN, "{\"qr\":\"" + raw + "\"}")
                        .status()).isEqualTo(200);
                await(() -> status(a, token, id).equals("connected"), PATIENCE, "the instance to connect on A");
                var nodeA = a.http().get("/v1/instances/" + id, token).json().at("/instance/node_id").asText();
                Receiver.sleep(6000);

                // cut, then B joins: it finds A's lease held until it expires (no fair-share hand-over from a
                // node that renews, which would move the instance before the cut)
                var cut = Instant.now();
                proxy.cut();
                b = GatewayProcess.start(dataB, envB);
                var nodeB = b;
                nodeB.awaitHealthy(PATIENCE);
                await(() -> !nodeA.equals(nodeB.http().get("/v1/instances/" + id, token).json()
                        .at("/instance/node_id").asText("")) && status(nodeB, token, id).equals("connected"),
                        PATIENCE, "B to run the instance");
                var stopLine = STOPPED.matcher(a.output());
                assertThat(stopLine.find()).as("A stopped its session when it could not renew:\n" + a.output())
                        .isTrue();
                // whole seconds: the stop happened within the second after this
                var stoppedOnA = java.time.LocalDateTime.parse(stopLine.group(1), JUL_TIME)
                        .atZone(java.time.ZoneId.systemDefault()).toInstant();
                java.util.function.Predicate<com.fasterxml.jackson.databind.JsonNode> connectedAfterCut = e ->
                        e.at("/data/type").asText().equals("status_changed")
                                && e.at("/data/status").asText().equals("connected")
                                && Instant.parse(e.get("occurred_at").asText()).isAfter(cut);
                receiver.await(1, r -> connectedAfterCut.test(r.json()), Duration.ofSeconds(30));
                var connectedOnB = receiver.requests().stream().map(Receiver.Request::json).filter(connectedAfterCut)
                        .map(e -> Instant.parse(e.get("occurred_at").asText())).min(Instant::compareTo).orElseThrow();
                System.out.printf("database cut at %s; A stopped its session at %s (+%d ms); B connected it at %s "
                                + "(+%d ms)%n", cut, stoppedOnA, Duration.between(cut, stoppedOnA).toMillis(),
                        connectedOnB, Duration.between(cut, connectedOnB).toMillis());
                assertThat(stoppedOnA.plusSeconds(1)).as("A stops before B starts").isBefore(connectedOnB);
                assertThat(Duration.between(cut, stoppedOnA)).as("within the renewal deadline")
                        .isLessThan(Duration.ofSeconds(20));
            } finally {
                a.close();
                if (b != null) {
                    b.close();
                }
            }
        }
    }

    private static String status(GatewayProcess node, String token, String id) {
        return node.http().get("/v1/instances/" + id, token).json().at("/instance/status").asText("");
    }

    private static void await(java.util.function.BooleanSupplier condition, Duration limit, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                // a node busy starting answers later
            }
            Thread.sleep(200);
        }
        throw new AssertionError("waited " + limit + " for " + what);
    }

    /** Forwards TCP connections to one address until {@link #cut()}: then closes them all and takes no more. */
    static final class TcpProxy implements AutoCloseable {
        private final ServerSocket server;
        private final String host;
        private final int port;
        private final List<Socket> open = new CopyOnWriteArrayList<>();

        private TcpProxy(ServerSocket server, String host, int port) {
            this.server = server;
            this.host = host;
            this.port = port;
        }

        static TcpProxy start(String host, int port) throws IOException {
            var server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            var proxy = new TcpProxy(server, host, port);
            Thread.ofVirtual().name("tcp-proxy").start(proxy::accept);
            return proxy;
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    var client = server.accept();
                    var upstream = new Socket(host, port);
                    open.add(client);
                    open.add(upstream);
                    Thread.ofVirtual().start(() -> pump(client, upstream));
                    Thread.ofVirtual().start(() -> pump(upstream, client));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private static void pump(Socket from, Socket to) {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // cut, or closed by either side
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }

        /** Every connection dropped, and the port closed: the node behind it has no database any more. */
        void cut() throws IOException {
            server.close();
            for (var socket : open) {
                socket.close();
            }
        }

        @Override
        public void close() throws IOException {
            cut();
        }
    }
}
