package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 item 9, as docs/operations.md tells an operator of the embedded default to do it: stop the gateway,
 * archive the data folder (its database cluster and media store) with {@code tar}, keep the master key apart; restore
 * the archive into a fresh data folder on which a new gateway starts with the same master key. Its linked instance
 * connects to the (never restarted) simulated WhatsApp without a new scan, and exchanges messages both ways; a
 * gateway given another master key refuses the restored data.
 */
class BackupRestoreIT {
    private static final String ADMIN = "pta_backup-restore-admin-token-01234";
    private static final String ANA = "5511987654901";
    private static final String BRUNO = "5511987654902";
    private static final Duration PATIENCE = Duration.ofSeconds(180);

    @TempDir
    Path networkData;

    @TempDir
    Path original;

    @TempDir
    Path restored;

    @TempDir
    Path backups;

    @AfterEach
    void leaveNothingRunning() throws Exception {
        GatewayProcess.stopOrphanedPostgres(original);
        GatewayProcess.stopOrphanedPostgres(restored);
        GatewayProcess.stopOrphanedPostgres(networkData);
    }

    @Test
    void aDataFolderArchiveRestoredWithTheSameMasterKeyResumesItsLinkedInstance() throws Exception {
        try (var receiver = Receiver.start();
             var whatsapp = GatewayProcess.startSandbox(networkData, Map.of("PONTE_ADMIN_TOKEN", ADMIN))) {
            whatsapp.awaitHealthy(PATIENCE);
            var network = whatsapp.http();
            for (var phone : List.of(ANA, BRUNO)) {
                assertThat(network.post("/v1/sandbox/phones", ADMIN, "{\"phone_number\":\"" + phone
                        + "\",\"push_name\":\"p" + phone.substring(10) + "\"}").status()).isEqualTo(201);
            }
            var env = new HashMap<>(Map.of("PONTE_ADMIN_TOKEN", ADMIN, "PONTE_WHATSAPP", "sandbox",
                    "PONTE_SANDBOX_URL", network.base(), "PONTE_WEBHOOK_POLL_MS", "100"));

            String token;
            String instanceId;
            try (var gateway = GatewayProcess.start(original, env)) {
                gateway.awaitHealthy(PATIENCE);
                var http = gateway.http();
                token = http.post("/v1/tenants", ADMIN, "{\"name\":\"backed-up\"}").json().get("token").asText();
                instanceId = http.post("/v1/instances", token, "{\"name\":\"shop\",\"webhook\":{\"url\":\""
                        + receiver.url("/hook") + "\",\"events\":[\"message.exchange\"]}}").json()
                        .at("/instance/id").asText();
                var raw = http.post("/v1/instances/" + instanceId + "/connect", token, null).json().at("/qr/raw")
                        .asText();
                assertThat(network.post("/v1/sandbox/phones/" + ANA + "/scan", ADMIN, "{\"qr\":\"" + raw + "\"}")
                        .status()).isEqualTo(200);
                awaitConnected(http, token, instanceId);
                send(http, token, instanceId, "antes do backup");
                awaitAtBruno(network, "antes do backup");
                // docs/operations.md: stop the gateway (SIGTERM), then archive
                assertThat(gateway.stop()).isIn(0, 143);
            }
            var archive = backups.resolve("ponte-data.tar.gz");
            // docs/operations.md: the whole folder but its lock and its key (kept apart)
            run(List.of("tar", "-C", original.toString(), "--exclude=./ponte.lock", "--exclude=./master.key",
                    "-czf", archive.toString(), "."));
            var masterKey = Files.readString(original.resolve("master.key")).strip();

            // the restore: a fresh folder, the archive unpacked into it, the same master key handed in
            run(List.of("tar", "-C", restored.toString(), "-xzf", archive.toString()));
            assertThat(restored.resolve("master.key")).doesNotExist();

            var wrongKey = new HashMap<>(env);
            wrongKey.put("PONTE_MASTER_KEY", java.util.Base64.getEncoder().encodeToString(new byte[32]));
            try (var refused = GatewayProcess.start(restored, wrongKey)) {
                long until = System.nanoTime() + PATIENCE.toNanos();
                while (isAlive(refused) && System.nanoTime() < until) {
                    Thread.sleep(200);
                }
                assertThat(refused.stopIfExited()).as(refused.output()).isNotZero();
                assertThat(refused.output()).contains("master key");
            }
            GatewayProcess.stopOrphanedPostgres(restored);

            env.put("PONTE_MASTER_KEY", masterKey);
            try (var gateway = GatewayProcess.start(restored, env)) {
                gateway.awaitHealthy(PATIENCE);
                var http = gateway.http();
                awaitConnected(http, token, instanceId);
                assertThat(network.get("/v1/sandbox/phones/" + ANA + "/devices", ADMIN).json().get("devices"))
                        .as("the same linked device, no second one from a new pairing").hasSize(1);

                var id = send(http, token, instanceId, "depois do restore");
                assertThat(awaitAtBruno(network, "depois do restore").get("id").asText()).isEqualTo(id);
                var fromBruno = network.post("/v1/sandbox/phones/" + BRUNO + "/messages", ADMIN,
                        "{\"to\":\"" + ANA + "\",\"text\":\"recebido no restaurado\"}");
                assertThat(fromBruno.status()).isEqualTo(200);
                var inbound = fromBruno.json().at("/message/id").asText();
                receiver.await(1, r -> r.json().at("/data/message/id").asText().equals(inbound), PATIENCE);
                var stored = http.get("/v1/instances/" + instanceId + "/messages/" + inbound, token).json();
                assertThat(stored.at("/message/text").asText()).isEqualTo("recebido no restaurado");
                assertThat(gateway.stop()).isIn(0, 143);
            }
        }
    }

    private static boolean isAlive(GatewayProcess process) {
        try {
            process.stopIfExited();
            return false;
        } catch (IllegalStateException running) {
            return true;
        }
    }

    private static String send(Http http, String token, String instanceId, String text) {
        var sent = http.post("/v1/instances/" + instanceId + "/messages/text", token,
                "{\"to\":\"" + BRUNO + "\",\"text\":\"" + text + "\"}");
        assertThat(sent.status()).as(sent.toString()).isEqualTo(202);
        return sent.json().at("/message/id").asText();
    }

    private static JsonNode awaitAtBruno(Http network, String text) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            var inbox = network.get("/v1/sandbox/phones/" + BRUNO + "/messages", ADMIN).json().get("messages");
            var found = StreamSupport.stream(inbox.spliterator(), false)
                    .filter(m -> m.get("text").asText().equals(text)).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("'" + text + "' never reached the phone");
    }

    private static void awaitConnected(Http http, String token, String instanceId) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        String status = null;
        while (System.nanoTime() < deadline) {
            status = http.get("/v1/instances/" + instanceId, token).json().at("/instance/status").asText();
            if (status.equals("connected")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the instance is " + status + ", not connected");
    }

    private static void run(List<String> command) throws Exception {
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        var output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(command + ": " + output).isZero();
    }
}
