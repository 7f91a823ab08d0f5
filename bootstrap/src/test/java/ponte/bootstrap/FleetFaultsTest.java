package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import ponte.testing.PostgresFixture;

/**
 * The faults of a fleet sharing one database: a node with another master key, a node older than the schema, and a
 * node whose clock is far off (lease times are the database's, so it neither steals nor keeps what it should not).
 */
class FleetFaultsTest {
    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void aNodeWithAnotherMasterKeyRefusesToStartWithOneClearLine() throws Exception {
        var database = PostgresFixture.newDatabase();
        try (var first = start(database, KEY, Clock.systemUTC(), Map.of())) {
            var other = new byte[32];
            other[0] = 1;
            assertThatThrownBy(() -> start(database, Base64.getEncoder().encodeToString(other), Clock.systemUTC(),
                    Map.of())).isInstanceOf(StartupFailure.class).hasMessageContaining("master key")
                    .hasMessageContaining("PONTE_MASTER_KEY");
            try (var same = start(database, KEY, Clock.systemUTC(), Map.of())) {
                assertThat(same.port()).isPositive();
            }
        }
    }

    @Test
    void aNodeOlderThanTheSchemaRefusesToStartAndSaysSo() throws Exception {
        var database = PostgresFixture.newDatabase();
        start(database, KEY, Clock.systemUTC(), Map.of()).close();
        update(database, """
                insert into flyway_ponte_history (installed_rank, version, description, type, script, checksum,
                    installed_by, execution_time, success)
                values (999, '999', 'from a newer ponte', 'SQL', 'V999__newer.sql', 0, 'test', 1, true)""");

        assertThatThrownBy(() -> start(database, KEY, Clock.systemUTC(), Map.of()))
                .isInstanceOf(StartupFailure.class).hasMessageContaining("schema is at version 999")
                .hasMessageContaining("newer than this node knows");
    }

    @Test
    void aNodeWhoseClockIsTenMinutesAheadNeitherStealsNorLosesLeases() throws Exception {
        var database = PostgresFixture.newDatabase();
        try (var honest = start(database, KEY, Clock.systemUTC(), Map.of("PONTE_LEASE_SECONDS", "4",
                "PONTE_WHATSAPP", "sandbox", "PONTE_SANDBOX_PORT", "0"))) {
            var ahead = start(database, KEY, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10)),
                    Map.of("PONTE_LEASE_SECONDS", "4", "PONTE_WHATSAPP", "sandbox",
                            "PONTE_SANDBOX_URL", "http://127.0.0.1:" + honest.port()));
            try (ahead) {
                skewedNodeKeepsItsHands(database, honest);
            }
        }
    }

    private static void skewedNodeKeepsItsHands(PostgresFixture database, Gateway honest) throws Exception {
        var http = new Http("http://127.0.0.1:" + honest.port());
        var token = http.post("/v1/tenants", GatewayFixture.ADMIN_TOKEN, "{\"name\":\"clocks\"}").json()
                .get("token").asText();
        var id = UUID.fromString(http.post("/v1/instances", token, "{\"name\":\"linked\"}").json()
                .at("/instance/id").asText());
        // linked and stopped by a gateway: whichever node rounds first takes it
        update(database, "update instances set phone_number = '5511987650001', status = 'disconnected', "
                + "status_reason = 'gateway_stopped' where id = '" + id + "'");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String first = null;
        while (first == null && System.nanoTime() < deadline) {
            first = query(database, "select node_id::text from instance_leases where instance_id = '"
                    + id + "' and expires_at > now()");
            Thread.sleep(100);
        }
        assertThat(first).as("one node took the lease").isNotNull();

        Thread.sleep(Duration.ofSeconds(10)); // ten rounds of each node: 2.5 lease times
        var lease = query(database, "select node_id::text || ' ' || epoch from instance_leases "
                + "where instance_id = '" + id + "' and expires_at > now()");
        assertThat(lease).as("the same owner, never re-taken: the skewed clock changed nothing")
                .isEqualTo(first + " 1");
    }

    private static void update(PostgresFixture database, String sql) throws Exception {
        try (var connection = database.dataSource().getConnection(); var statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        }
    }

    /** The first column of the first row, or null. */
    private static String query(PostgresFixture database, String sql) throws Exception {
        try (var connection = database.dataSource().getConnection(); var statement = connection.createStatement();
             var rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    private static Gateway start(PostgresFixture database, String key, Clock clock, Map<String, String> env)
            throws Exception {
        var variables = new HashMap<String, String>();
        variables.put("PONTE_HOST", "127.0.0.1");
        variables.put("PONTE_PORT", "0");
        variables.put("PONTE_DATABASE_URL", database.jdbcUrl());
        variables.put("PONTE_DATABASE_USER", database.user());
        variables.put("PONTE_DATABASE_PASSWORD", database.password());
        variables.put("PONTE_ADMIN_TOKEN", GatewayFixture.ADMIN_TOKEN);
        variables.put("PONTE_MASTER_KEY", key);
        variables.putAll(env);
        return Gateway.start(Config.fromEnvironment(variables), clock.withZone(ZoneOffset.UTC));
    }
}
