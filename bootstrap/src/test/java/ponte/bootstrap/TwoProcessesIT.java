package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ponte.testing.PostgresFixture;

/** Two packaged gateway processes on one PostgreSQL: live events cross through NOTIFY, deliveries go out once. */
class TwoProcessesIT {
    private static final String ADMIN = "pta_two-nodes-admin-token-0123456789";

    @TempDir
    Path dataA;

    @TempDir
    Path dataB;

    @Test
    void aLiveClientOnOneProcessHearsTheOthersEventsAndEachDeliveryIsPostedOnce() throws Exception {
        var database = PostgresFixture.newDatabase();
        var env = new HashMap<String, String>(Map.of(
                "PONTE_DATABASE_URL", database.jdbcUrl(),
                "PONTE_DATABASE_USER", database.user(),
                "PONTE_DATABASE_PASSWORD", database.password(),
                "PONTE_ADMIN_TOKEN", ADMIN,
                "PONTE_MASTER_KEY", Base64.getEncoder().encodeToString(new byte[32]),
                "PONTE_RATE_LIMIT_INSTANCE_CREATES", "1000",
                "PONTE_WEBHOOK_POLL_MS", "200"));
        try (var receiver = Receiver.start();
             var a = GatewayProcess.start(dataA, env);
             var b = GatewayProcess.start(dataB, env)) {
            a.awaitHealthy(Duration.ofSeconds(90));
            b.awaitHealthy(Duration.ofSeconds(90));
            var token = a.http().post("/v1/tenants", ADMIN, "{\"name\":\"two\"}").json().get("token").asText();

            var watched = a.http().post("/v1/instances", token,
                    "{\"name\":\"watched\",\"websocket\":{\"enabled\":true}}").json();
            var url = b.http().base().replace("http://", "ws://") + "/ws/watched?token="
                    + watched.at("/instance/token").asText();
            try (var client = WsClient.connect(url, false)) {
                assertThat(a.http().delete("/v1/instances/" + watched.at("/instance/id").asText(), token).status())
                        .isEqualTo(204);
                var frame = client.awaitFrames(1, Duration.ofSeconds(20)).getFirst();
                assertThat(frame).contains("\"instance_name\":\"watched\"").contains("\"type\":\"deleted\"");
            }

            var ids = new ArrayList<String>();
            for (int i = 0; i < 20; i++) {
                var created = (i % 2 == 0 ? a : b).http().post("/v1/instances", token, "{\"name\":\"n" + i
                        + "\",\"webhook\":{\"url\":\"" + receiver.url("/two") + "\"}}");
                ids.add(created.json().at("/instance/id").asText());
            }
            for (int i = 0; i < ids.size(); i++) {
                assertThat((i % 2 == 0 ? b : a).http().delete("/v1/instances/" + ids.get(i), token).status())
                        .isEqualTo(204);
            }
            // the inline webhook hears each instance's created event and its deleted event
            receiver.await(40, Duration.ofSeconds(30));
            Receiver.sleep(1000);
            var seen = new HashSet<String>();
            receiver.requests().forEach(r -> assertThat(seen.add(r.eventId())).as("posted twice").isTrue());
            assertThat(seen).hasSize(40);
        }
    }
}
