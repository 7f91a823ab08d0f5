package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import ponte.domain.instance.DisconnectReason;
import ponte.domain.instance.LinkedAccount;

/** Every status change and QR rotation of an instance reaches subscribers as an instance.state event. */
class InstanceStateEventsTest {
    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass(Map.of("PONTE_WEBHOOK_POLL_MS", "50"));
    private static GatewayFixture.Tenant tenant;

    @BeforeAll
    static void start() {
        tenant = gateway.newTenant("states");
    }

    @Test
    void aSessionsLifeArrivesAsInstanceStateEventsInOrder() throws Exception {
        try (var receiver = Receiver.start()) {
            var instance = gateway.newInstance(tenant, "lifecycle");
            gateway.http().post("/v1/instances/" + instance.id() + "/webhooks", tenant.token(),
                    "{\"label\":\"s\",\"url\":\"" + receiver.url("/s") + "\",\"events\":[\"instance.state\"]}");
            var sessions = gateway.gateway().sessionEvents();
            var id = UUID.fromString(instance.id());
            sessions.connecting(id);
            sessions.qrShown(id, "2@qr-text", Instant.parse("2030-01-01T00:00:00Z"));
            sessions.connected(id, new LinkedAccount("5511999990000", "1234@lid", "Support", "android"));
            sessions.disconnected(id, DisconnectReason.LOGGED_OUT);

            var events = receiver.await(6, Duration.ofSeconds(20)).stream().map(Receiver.Request::json)
                    .sorted((a, b) -> a.get("event_id").asText().compareTo(b.get("event_id").asText())).toList();
            // the webhook exists only after the instance does: its created event matched no subscription
            assertThat(events).extracting(e -> e.at("/data/type").asText()).containsExactly("status_changed",
                    "status_changed", "qr_rotated", "status_changed", "status_changed", "status_changed");
            assertThat(events).extracting(e -> e.at("/data/status").asText()).containsExactly("connecting", "qr",
                    "qr", "connecting", "connected", "disconnected");
            assertThat(events.get(2).at("/data/qr").asText()).isEqualTo("2@qr-text");
            assertThat(events.get(5).at("/data/status_reason").asText()).isEqualTo("logged_out");
            assertThat(events.get(4).at("/data/status_reason").isNull()).isTrue();
            var stored = gateway.http().get("/v1/instances/" + instance.id(), tenant.token()).json().get("instance");
            assertThat(stored.get("status").asText()).isEqualTo("disconnected");
            assertThat(stored.get("status_reason").asText()).isEqualTo("logged_out");
        }
    }

    @Test
    void aStaleReportStoresNothingAndEmitsNothing() throws Exception {
        var instance = gateway.newInstance(tenant, "stale");
        var id = UUID.fromString(instance.id());
        var sessions = gateway.gateway().sessionEvents();
        sessions.connecting(id);
        sessions.connected(id, new LinkedAccount("5511999990001", null, null, null));
        sessions.qrShown(id, "2@late", Instant.parse("2030-01-01T00:00:00Z"));
        sessions.connecting(id);
        try (var connection = gateway.database().dataSource().getConnection();
             var statement = connection.prepareStatement("select count(*) from events where instance_id = ?::uuid")) {
            statement.setString(1, instance.id());
            var rows = statement.executeQuery();
            rows.next();
            assertThat(rows.getInt(1)).as("created, connecting, connected and one reconnect").isEqualTo(4);
        }
        assertThat(gateway.http().get("/v1/instances/" + instance.id(), tenant.token()).json()
                .at("/instance/status").asText()).isEqualTo("connecting");
    }
}
