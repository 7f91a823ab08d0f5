package ponte.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Baileys ({@code adapters-whatsapp/src/test/node/oracle.mjs}, the wire tests' oracle) in a Node process of its
 * own: one JSON request per line, one answer per line. Without Node or the installed package the test is
 * skipped locally and fails under {@code CI=true}, as the wire tests' oracle does.
 */
final class BaileysProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final BufferedWriter in;
    private final BufferedReader out;

    private BaileysProcess(Process process) {
        this.process = process;
        this.in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static BaileysProcess start() {
        Path dir = Path.of(System.getProperty("ponte.oracle.dir", "../adapters-whatsapp/src/test/node"))
                .toAbsolutePath().normalize();
        String missing = Files.isRegularFile(dir.resolve("node_modules/baileys/package.json")) ? null
                : "Baileys is not installed in " + dir + " (the adapters-whatsapp build runs `npm ci` there)";
        Process process = null;
        if (missing == null) {
            try {
                process = new ProcessBuilder("node", "oracle.mjs").directory(dir.toFile())
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            } catch (IOException e) {
                missing = "Node.js is not on PATH (" + e.getMessage() + ")";
            }
        }
        if (missing != null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("The Baileys end-to-end test needs Node.js 20+: " + missing);
            }
            Assumptions.abort("The Baileys end-to-end test needs Node.js 20+: " + missing);
        }
        return new BaileysProcess(process);
    }

    /**
     * Starts a Baileys session that dials the gateway's sandbox (chat URL and root from {@code GET /v1/sandbox/info})
     * and links it as a companion of sandbox phone {@code phone} through {@code POST /v1/sandbox/phones/{n}/scan};
     * returns the session's id once it is open.
     */
    String link(Http http, String adminToken, String phone) throws IOException {
        var info = http.get("/v1/sandbox/info", adminToken).json().get("sandbox");
        String session = java.util.UUID.randomUUID().toString();
        var qr = call(request("baileysStart").put("id", session).put("wsUrl", info.get("ws_url").asText())
                .put("rootPublicKey", java.util.HexFormat.of().formatHex(java.util.Base64.getDecoder().decode(
                        info.get("root_public_key").asText())))
                .put("timeoutMs", 20_000)).get("qr").asText();
        var scanned = http.post("/v1/sandbox/phones/" + phone + "/scan", adminToken,
                JSON.createObjectNode().put("qr", qr).toString());
        if (scanned.status() != 200) {
            throw new AssertionError("the sandbox phone did not scan Baileys' QR: " + scanned);
        }
        call(request("baileysAwaitOpen").put("id", session).put("timeoutMs", 20_000));
        return session;
    }

    static ObjectNode request(String op) {
        return JSON.createObjectNode().put("op", op);
    }

    JsonNode call(ObjectNode request) throws IOException {
        in.write(JSON.writeValueAsString(request));
        in.newLine();
        in.flush();
        String line = out.readLine();
        if (line == null) {
            throw new IllegalStateException("Baileys exited");
        }
        JsonNode answer = JSON.readTree(line);
        if (!answer.path("ok").asBoolean()) {
            throw new AssertionError("Baileys failed " + request.get("op") + ": " + answer.path("error").asText());
        }
        return answer;
    }

    @Override
    public void close() {
        process.destroy();
    }
}
