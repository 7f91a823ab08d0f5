package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged gateway launched exactly as {@code ./ponte serve} does, on the module path: surefire's own module
 * handling hides resolution failures that only {@code java -m} shows (stack.md P22).
 */
class LaunchIT {
    private static final Pattern ADMIN_LINE = Pattern.compile("(?m)^Admin token: (\\S+)$");

    @TempDir
    Path dataDir;

    @AfterEach
    void leaveNothingRunning() throws Exception {
        GatewayProcess.stopOrphanedPostgres(dataDir);
    }

    @Test
    void theModulePathGatewayServesKeepsItsDataAcrossAKillAndShowsTheAdminTokenOnce() throws Exception {
        String adminToken;
        String tenantId;
        try (var first = GatewayProcess.start(dataDir, Map.of())) {
            var startup = first.awaitHealthy(Duration.ofSeconds(90));
            System.out.println("cold start to /healthz: " + startup.toMillis() + " ms");
            var matcher = ADMIN_LINE.matcher(first.output());
            assertThat(matcher.find()).as(first.output()).isTrue();
            adminToken = matcher.group(1);
            assertThat(matcher.find()).as("the admin token is printed once").isFalse();
            var created = first.http().post("/v1/tenants", adminToken, "{\"name\":\"survivor\"}");
            assertThat(created.status()).isEqualTo(201);
            tenantId = created.json().at("/tenant/id").asText();
            assertThat(first.http().get("/openapi.json", null).status()).isEqualTo(200);
            assertThat(first.http().get("/docs/assets/swagger-ui.css", null).status()).isEqualTo(200);
            first.kill();
        }
        assertThat(Files.exists(dataDir.resolve("postgres/postmaster.pid"))).as("PostgreSQL left running").isTrue();

        try (var second = GatewayProcess.start(dataDir, Map.of())) {
            var startup = second.awaitHealthy(Duration.ofSeconds(90));
            System.out.println("warm start after kill -9 to /healthz: " + startup.toMillis() + " ms");
            assertThat(second.output()).doesNotContain("Admin token:");
            var read = second.http().get("/v1/tenants/" + tenantId, adminToken);
            assertThat(read.status()).as(read.toString()).isEqualTo(200);
            assertThat(read.json().at("/tenant/name").asText()).isEqualTo("survivor");
            assertThat(second.http().get("/readyz", null).status()).isEqualTo(200);
            assertThat(second.stop()).isIn(0, 143);
        }
        assertThat(Files.exists(dataDir.resolve("postgres/postmaster.pid"))).as("PostgreSQL stopped with it").isFalse();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("master.key"))))
                .isEqualTo("rw-------");
    }

    @Test
    void theModulePathGatewayRunsTheSandboxAndItsClientsPairThroughIt() throws Exception {
        int sandboxPort;
        try (var probe = new java.net.ServerSocket(0)) {
            sandboxPort = probe.getLocalPort();
        }
        try (var gateway = GatewayProcess.start(dataDir, Map.of("PONTE_WHATSAPP", "sandbox", "PONTE_SANDBOX_PORT",
                Integer.toString(sandboxPort)))) {
            gateway.awaitHealthy(Duration.ofSeconds(90));
            var matcher = ADMIN_LINE.matcher(gateway.output());
            assertThat(matcher.find()).isTrue();
            var admin = matcher.group(1);
            var http = gateway.http();
            var info = http.get("/v1/sandbox/info", admin);
            assertThat(info.json().at("/sandbox/ws_url").asText()).isEqualTo("ws://127.0.0.1:" + sandboxPort + "/ws/chat");
            var account = http.post("/v1/tenants", admin, "{\"name\":\"launch\"}").json().get("token").asText();
            http.post("/v1/sandbox/phones", admin, "{\"phone_number\":\"5511987650900\",\"push_name\":\"Ana\"}");
            http.post("/v1/instances", account, "{\"name\":\"launched\"}");
            var qr = http.post("/v1/instances/launched/connect", account, null).json().at("/qr/raw").asText();
            assertThat(qr).as(gateway.output()).isNotEmpty();
            var scanned = http.post("/v1/sandbox/phones/5511987650900/scan", admin, "{\"qr\":\"" + qr + "\"}");
            assertThat(scanned.status()).as(scanned.toString()).isEqualTo(200);
            for (int i = 0; i < 100 && !http.get("/v1/instances/launched", account).json().at("/instance/status")
                    .asText().equals("connected"); i++) {
                Thread.sleep(100);
            }
            assertThat(http.get("/v1/instances/launched", account).json().at("/instance/status").asText())
                    .isEqualTo("connected");
        }
    }

    @Test
    void aSecondGatewayOnTheSameDataFolderRefusesToStart() throws Exception {
        try (var first = GatewayProcess.start(dataDir, Map.of())) {
            first.awaitHealthy(Duration.ofSeconds(90));
            try (var second = GatewayProcess.start(dataDir, Map.of())) {
                var exit = waitForExit(second);
                assertThat(exit).isEqualTo(1);
                assertThat(second.output().strip()).as("one line, no stack trace")
                        .isEqualTo("ponte: another gateway is using the data folder " + dataDir.toAbsolutePath().normalize()
                                + "; stop it, or set PONTE_DATA_DIR to another folder");
            }
            assertThat(first.http().get("/readyz", null).status()).isEqualTo(200);
        }
    }

    @Test
    void invalidConfigurationStopsTheStartNamingEveryBadVariable() throws Exception {
        try (var gateway = GatewayProcess.start(dataDir, Map.of("PONTE_PORT", "http", "PONTE_MAX_BODY_BYTES", "-1"))) {
            assertThat(waitForExit(gateway)).isEqualTo(2);
            assertThat(gateway.output()).contains("PONTE_PORT").contains("PONTE_MAX_BODY_BYTES");
        }
    }

    @Test
    void aPortInUseIsOneLineNamingTheVariable() throws Exception {
        try (var taken = new java.net.ServerSocket(0);
             var gateway = GatewayProcess.start(dataDir, Map.of("PONTE_PORT", Integer.toString(taken.getLocalPort())))) {
            assertThat(waitForExit(gateway)).isEqualTo(1);
            assertThat(gateway.output()).as(gateway.output()).doesNotContain("\tat ")
                    .contains("ponte: port " + taken.getLocalPort() + " is already in use; stop what uses it, or set "
                            + "PONTE_PORT to another port");
        }
    }

    @Test
    void aTakenSandboxPortIsOneLineNamingItsVariable() throws Exception {
        try (var taken = new java.net.ServerSocket(0);
             var gateway = GatewayProcess.start(dataDir, Map.of("PONTE_WHATSAPP", "sandbox",
                     "PONTE_SANDBOX_PORT", Integer.toString(taken.getLocalPort())))) {
            assertThat(waitForExit(gateway)).isEqualTo(1);
            assertThat(gateway.output()).as(gateway.output()).doesNotContain("\tat ")
                    .contains("ponte: port " + taken.getLocalPort() + " is already in use; stop what uses it, or set "
                            + "PONTE_SANDBOX_PORT to another port");
        }
    }

    @Test
    void aPortOutOfRangeIsReportedAsThePortAlone() throws Exception {
        try (var gateway = GatewayProcess.start(dataDir, Map.of("PONTE_PORT", "70000"))) {
            assertThat(waitForExit(gateway)).isEqualTo(2);
            assertThat(gateway.output().strip()).isEqualTo("""
                    ponte: invalid configuration:
                      PONTE_PORT must be a whole number from 0 to 65535, not '70000'""");
        }
    }

    private static int waitForExit(GatewayProcess gateway) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            try {
                return gateway.stopIfExited();
            } catch (IllegalStateException running) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the gateway did not exit:\n" + gateway.output());
    }
}
