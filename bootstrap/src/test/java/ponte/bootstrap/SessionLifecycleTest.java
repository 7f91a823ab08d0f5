package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static ponte.bootstrap.ErrorEnvelopeTest.assertEnvelope;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import ponte.testing.PostgresFixture;

/** Linking instances to WhatsApp through the API, with the sandbox's virtual phones doing what a phone does. */
class SessionLifecycleTest {
    private static final String ADMIN = GatewayFixture.ADMIN_TOKEN;
    private static final Map<String, String> SANDBOX = Map.of("PONTE_WHATSAPP", "sandbox", "PONTE_SANDBOX_PORT", "0");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private PostgresFixture database;
    private GatewayFixture gateway;
    private Http http;
    private GatewayFixture.Tenant tenant;

    @BeforeEach
    void start() {
        database = PostgresFixture.newDatabase();
        gateway = GatewayFixture.start(database, SANDBOX);
        http = gateway.http();
        tenant = gateway.newTenant("sessions");
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void connectShowsAQrThatAPhoneScansAndTheInstanceIsConnected() throws Exception {
        var phone = newPhone("5511987650101");
        var instance = gateway.newInstance(tenant, "shop");
        var connect = http.post("/v1/instances/shop/connect", tenant.token(), null);
        assertThat(connect.status()).as(connect.toString()).isEqualTo(200);
        assertThat(connect.json().get("status").asText()).isEqualTo("qr");
        var qr = connect.json().get("qr");
        assertThat(qr.get("image").asText()).startsWith("data:image/png;base64,");
        assertThat(Base64.getDecoder().decode(qr.get("image").asText().substring(22))).startsWith(0x89, 'P', 'N', 'G');
        assertThat(qr.get("raw").asText()).contains(",");
        assertThat(http.get("/v1/instances/shop/qr", instance.token()).json().at("/qr/raw").asText())
                .isEqualTo(qr.get("raw").asText());

        var scanned = http.post("/v1/sandbox/phones/" + phone + "/scan", ADMIN,
                "{\"qr\":\"" + qr.get("raw").asText() + "\"}");
        assertThat(scanned.status()).as(scanned.toString()).isEqualTo(200);
        var connected = awaitStatus("shop", "connected");
        assertThat(connected.get("phone_number").asText()).isEqualTo(phone);
        assertThat(connected.get("lid").asText()).endsWith("@lid");
        assertThat(connected.get("last_seen_at").isNull()).isFalse();
        // the phone's push name is not in pair-success: its history bootstrap to the new device brings it
        assertThat(await("shop", seen -> seen.get("push_name").asText("").equals("Ana")).get("status")
                .asText()).isEqualTo("connected");
        assertEnvelope(http.get("/v1/instances/shop/qr", tenant.token()), 409, "CONFLICT");
        var devices = http.get("/v1/devices", tenant.token()).json().get("devices");
        assertThat(devices).hasSize(1);
        assertThat(devices.get(0).get("phone_number").asText()).isEqualTo(phone);
    }

    @Test
    void aRestartedGatewayReconnectsItsLinkedInstancesWithoutAQr() throws Exception {
        var phone = newPhone("5511987650102");
        gateway.newInstance(tenant, "durable");
        link("durable", phone);
        gateway.close();

        gateway = GatewayFixture.start(database, SANDBOX);
        http = gateway.http();
        var connected = awaitStatus("durable", "connected");
        assertThat(connected.get("phone_number").asText()).isEqualTo(phone);
        assertEnvelope(http.get("/v1/instances/durable/qr", tenant.token()), 409, "CONFLICT");
    }

    @Test
    void aStoppedGatewaysSessionsSayGatewayStoppedAndTheNextStartResumesThemEvenAfterACrash() throws Exception {
        try (var receiver = Receiver.start()) {
            var phone = newPhone("5511987650108");
            var instance = gateway.newInstance(tenant, "honest");
            http.post("/v1/instances/honest/webhooks", tenant.token(), "{\"label\":\"s\",\"url\":\""
                    + receiver.url("/s") + "\",\"events\":[\"instance.state\"]}");
            link("honest", phone);

            gateway.close();
            assertThat(storedStatus(instance.id())).isEqualTo("disconnected gateway_stopped");
            gateway = GatewayFixture.start(database, SANDBOX);
            http = gateway.http();
            assertThat(awaitStatus("honest", "connected").get("status_reason").isNull()).isTrue();

            // what a kill -9 leaves behind: the stopped node's instance still saying connected
            gateway.close();
            setStoredStatus(instance.id(), "connected");
            gateway = GatewayFixture.start(database, SANDBOX);
            http = gateway.http();
            awaitStatus("honest", "connected");

            var tail = List.of("connecting→connected", "connected→disconnected gateway_stopped",
                    "disconnected→connecting", "connecting→connected", "connected→disconnected gateway_stopped",
                    "connected→disconnected gateway_stopped", "disconnected→connecting", "connecting→connected");
            var changes = awaitStatusChanges(receiver, tail);
            assertThat(changes.subList(changes.size() - tail.size(), changes.size())).isEqualTo(tail);
        }
    }

    @Test
    void aPairingCodeTypedOnThePhoneLinksTheInstance() throws Exception {
        var phone = newPhone("5511987650103");
        gateway.newInstance(tenant, "by-code");
        var code = http.post("/v1/instances/by-code/pair-code", tenant.token(), "{\"phone_number\":\"+" + phone + "\"}");
        assertThat(code.status()).as(code.toString()).isEqualTo(200);
        var typed = code.json().get("pairing_code").asText();
        assertThat(typed).matches("[1-9A-Z]{4}-[1-9A-Z]{4}");
        var linked = http.post("/v1/sandbox/phones/" + phone + "/link-code", ADMIN, "{\"code\":\"" + typed + "\"}");
        assertThat(linked.status()).as(linked.toString()).isEqualTo(200);
        assertThat(awaitStatus("by-code", "connected").get("phone_number").asText()).isEqualTo(phone);
    }

    @Test
    void logoutUnlinksTheDeviceFromThePhoneAndDisconnectKeepsIt() throws Exception {
        var phone = newPhone("5511987650104");
        gateway.newInstance(tenant, "leaving");
        link("leaving", phone);
        assertThat(phoneDevices(phone)).hasSize(1);

        var disconnected = http.post("/v1/instances/leaving/disconnect", tenant.token(), null).json();
        assertThat(disconnected.get("status").asText()).isEqualTo("disconnected");
        assertThat(disconnected.get("status_reason").asText()).isEqualTo("manual");
        assertThat(phoneDevices(phone)).hasSize(1);

        var loggedOut = http.post("/v1/instances/leaving/logout", tenant.token(), null).json();
        assertThat(loggedOut.get("status_reason").asText()).isEqualTo("logged_out");
        assertThat(phoneDevices(phone)).isEmpty();
        var instance = http.get("/v1/instances/leaving", tenant.token()).json().get("instance");
        assertThat(instance.get("phone_number").isNull()).isTrue();
        assertEnvelope(http.post("/v1/instances/leaving/restart", tenant.token(), null), 409, "CONFLICT");
    }

    @Test
    void theQrStreamSendsTheQrThenTheStatesUntilConnected() throws Exception {
        var phone = newPhone("5511987650105");
        var instance = gateway.newInstance(tenant, "streamed");
        var client = HttpClient.newHttpClient();
        var request = HttpRequest.newBuilder(URI.create(http.base() + "/v1/instances/streamed/qr/stream?token="
                + instance.token())).timeout(WAIT).build();
        var response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        var events = new ArrayList<String>();
        try (var lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            http.post("/v1/instances/streamed/connect", tenant.token(), null);
            String event = null;
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                } else if (line.startsWith("data:") && event != null) {
                    var data = line.substring(5).strip();
                    events.add(event + " " + (event.equals("qr") ? "" : data));
                    if (event.equals("qr") && events.stream().filter(e -> e.startsWith("qr")).count() == 1) {
                        var raw = new com.fasterxml.jackson.databind.ObjectMapper().readTree(data).get("raw").asText();
                        http.post("/v1/sandbox/phones/" + phone + "/scan", ADMIN, "{\"qr\":\"" + raw + "\"}");
                    }
                }
            }
        }
        assertThat(events.getFirst()).startsWith("state").contains("pending");
        assertThat(events).anyMatch(e -> e.startsWith("qr"));
        assertThat(events.getLast()).startsWith("state").contains("\"connected\"");
    }

    @Test
    void deletingALinkedInstanceStopsItsSessionAndForgetsItsCredentials() throws Exception {
        var phone = newPhone("5511987650106");
        gateway.newInstance(tenant, "deleted");
        link("deleted", phone);
        assertThat(http.delete("/v1/instances/deleted", tenant.token()).status()).isEqualTo(204);
        try (var connection = database.dataSource().getConnection();
             var rows = connection.createStatement().executeQuery("select count(*) from whatsapp_store.device")) {
            rows.next();
            assertThat(rows.getInt(1)).isZero();
        }
    }

    @Test
    void aProxyChangeReconnectsTheLinkedInstanceAndAnUnreachableProxyIsAProxyError() throws Exception {
        var phone = newPhone("5511987650107");
        gateway.newInstance(tenant, "proxied");
        link("proxied", phone);
        int closedPort;
        try (var probe = new java.net.ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        var changed = http.put("/v1/instances/proxied/proxy", tenant.token(),
                "{\"proxy_url\":\"socks5://user:secret@127.0.0.1:" + closedPort + "\"}");
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(changed.json().get("reconnect").asText()).isEqualTo("connected");
        var down = awaitStatus("proxied", "disconnected");
        assertThat(down.get("status_reason").asText()).isEqualTo("proxy_error");

        // the session keeps retrying through the dead proxy; removing the override dials at once without it
        var removed = http.delete("/v1/instances/proxied/proxy", tenant.token());
        assertThat(removed.status()).as(removed.toString()).isEqualTo(200);
        assertThat(removed.json().get("reconnect").asText()).isIn("connected", "scheduled");
        assertThat(awaitStatus("proxied", "connected").get("phone_number").asText()).isEqualTo(phone);
    }

    @Test
    void anotherTenantsOrASiblingsSessionIsNotFoundAndTheAdminCannotDriveSessions() {
        var own = gateway.newInstance(tenant, "private-session");
        var sibling = gateway.newInstance(tenant, "sibling-session");
        var stranger = gateway.newTenant("stranger");
        for (var route : new String[] {"connect", "disconnect", "logout", "restart"}) {
            assertEnvelope(http.post("/v1/instances/" + own.id() + "/" + route, stranger.token(), null), 404,
                    "NOT_FOUND");
            assertEnvelope(http.post("/v1/instances/" + own.id() + "/" + route, sibling.token(), null), 404,
                    "NOT_FOUND");
            assertEnvelope(http.post("/v1/instances/" + own.id() + "/" + route, ADMIN, null), 403, "FORBIDDEN");
        }
        assertEnvelope(http.get("/v1/instances/" + own.id() + "/qr", stranger.token()), 404, "NOT_FOUND");
        assertEnvelope(http.post("/v1/instances/" + own.id() + "/pair-code", stranger.token(),
                "{\"phone_number\":\"5511987650199\"}"), 404, "NOT_FOUND");
        assertThat(http.get("/v1/devices", stranger.token()).json().get("devices")).isEmpty();
        assertEnvelope(http.get("/v1/devices", own.token()), 403, "FORBIDDEN");
        assertThat(http.get("/v1/instances/private-session", tenant.token()).json().at("/instance/status").asText())
                .isEqualTo("pending");
    }

    /** The status changes the receiver got, in the order they happened, as "previous→status reason". */
    private static List<String> awaitStatusChanges(Receiver receiver, List<String> tail) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<String> changes = List.of();
        while (System.nanoTime() < deadline) {
            changes = receiver.requests().stream().map(Receiver.Request::json)
                    .filter(e -> e.at("/data/type").asText().equals("status_changed"))
                    .sorted(java.util.Comparator.comparing(e -> e.get("event_id").asText()))
                    .map(e -> (e.at("/data/previous_status").asText() + "→" + e.at("/data/status").asText() + " "
                            + e.at("/data/status_reason").asText("")).strip())
                    .toList();
            if (changes.size() >= tail.size()
                    && changes.subList(changes.size() - tail.size(), changes.size()).equals(tail)) {
                return changes;
            }
            Thread.sleep(100);
        }
        return changes;
    }

    private String storedStatus(String instanceId) throws Exception {
        try (var connection = database.dataSource().getConnection();
             var statement = connection.prepareStatement(
                     "select status, status_reason from instances where id = ?::uuid")) {
            statement.setString(1, instanceId);
            var rows = statement.executeQuery();
            rows.next();
            return (rows.getString(1) + " " + java.util.Objects.requireNonNullElse(rows.getString(2), "")).strip();
        }
    }

    private void setStoredStatus(String instanceId, String status) throws Exception {
        try (var connection = database.dataSource().getConnection();
             var statement = connection.prepareStatement(
                     "update instances set status = ?, status_reason = null where id = ?::uuid")) {
            statement.setString(1, status);
            statement.setString(2, instanceId);
            assertThat(statement.executeUpdate()).isOne();
        }
    }

    private String newPhone(String number) {
        var created = http.post("/v1/sandbox/phones", ADMIN, "{\"phone_number\":\"" + number
                + "\",\"push_name\":\"Ana\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return number;
    }

    private void link(String instance, String phone) throws InterruptedException {
        var raw = http.post("/v1/instances/" + instance + "/connect", tenant.token(), null).json().at("/qr/raw")
                .asText();
        assertThat(http.post("/v1/sandbox/phones/" + phone + "/scan", ADMIN, "{\"qr\":\"" + raw + "\"}").status())
                .isEqualTo(200);
        awaitStatus(instance, "connected");
    }

    private JsonNode phoneDevices(String phone) {
        return http.get("/v1/sandbox/phones/" + phone + "/devices", ADMIN).json().get("devices");
    }

    private JsonNode awaitStatus(String instance, String status) throws InterruptedException {
        return await(instance, current -> current.get("status").asText().equals(status));
    }

    private JsonNode await(String instance, java.util.function.Predicate<JsonNode> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode current = null;
        while (System.nanoTime() < deadline) {
            current = http.get("/v1/instances/" + instance, tenant.token()).json().get("instance");
            if (condition.test(current)) {
                return current;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("instance " + instance + " never got there; last seen " + current);
    }
}
