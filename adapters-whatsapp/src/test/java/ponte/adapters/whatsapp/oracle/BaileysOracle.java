package ponte.adapters.whatsapp.oracle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import ponte.adapters.whatsapp.binary.Node;

/**
 * Baileys, running in Node beside our code as an independent implementation (src/test/node/oracle.mjs). Without
 * Node or its installed packages the tests that need it are skipped locally and fail under {@code CI=true}, so a
 * CI run can never pass by not checking.
 */
public final class BaileysOracle {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();
    private static BaileysOracle shared;

    private final Process process;
    private final BufferedWriter in;
    private final BufferedReader out;

    private BaileysOracle(Process process) {
        this.process = process;
        this.in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** The JVM's oracle process, started on first use; skips or fails the calling test when Node is missing. */
    public static synchronized BaileysOracle get() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    private static BaileysOracle start() {
        Path dir = Path.of(System.getProperty("ponte.oracle.dir", "src/test/node")).toAbsolutePath();
        String missing = null;
        if (!Files.isRegularFile(dir.resolve("node_modules/baileys/package.json"))) {
            missing = "Baileys is not installed in " + dir + " (the build runs `npm ci` there when npm is on PATH)";
        }
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
            String message = "The Baileys oracle tests need Node.js 20+ and npm: " + missing;
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(message + ". Under CI=true they must run, not skip.");
            }
            Assumptions.abort(message);
        }
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroy));
        return new BaileysOracle(started);
    }

    public synchronized JsonNode call(ObjectNode request) {
        try {
            in.write(JSON.writeValueAsString(request));
            in.newLine();
            in.flush();
            String line = out.readLine();
            if (line == null) {
                process.waitFor(5, TimeUnit.SECONDS);
                throw new IllegalStateException("the Baileys oracle exited (" + process.exitValue() + ")");
            }
            JsonNode answer = JSON.readTree(line);
            if (!answer.path("ok").asBoolean()) {
                throw new OracleException(answer.path("error").asText());
            }
            return answer;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("the Baileys oracle did not answer", e);
        }
    }

    public static ObjectNode request(String op) {
        return JSON.createObjectNode().put("op", op);
    }

    public byte[] encode(Node node) {
        ObjectNode request = request("encode");
        request.set("node", toJson(node));
        return HEX.parseHex(call(request).path("hex").asText());
    }

    public Node decode(byte[] frame) {
        return fromJson(call(request("decode").put("hex", HEX.formatHex(frame))).path("node"));
    }

    public static ObjectNode toJson(Node node) {
        ObjectNode json = JSON.createObjectNode().put("tag", node.tag());
        ArrayNode attrs = json.putArray("attrs");
        node.attributes().forEach((key, value) -> attrs.addArray().add(key).add(value));
        if (!node.hasContent()) {
            json.putNull("content");
        } else if (node.hasText()) {
            json.putObject("content").put("text", node.text().orElseThrow());
        } else if (node.hasBytes()) {
            json.putObject("content").put("hex", HEX.formatHex(node.bytes().orElseThrow()));
        } else {
            ArrayNode children = json.putObject("content").putArray("children");
            node.children().forEach(child -> children.add(toJson(child)));
        }
        return json;
    }

    public static Node fromJson(JsonNode json) {
        Map<String, String> attrs = new LinkedHashMap<>();
        json.path("attrs").forEach(pair -> attrs.put(pair.get(0).asText(), pair.get(1).asText()));
        JsonNode content = json.path("content");
        String tag = json.path("tag").asText();
        if (content.isNull() || content.isMissingNode()) {
            return Node.of(tag, attrs);
        }
        if (content.has("text")) {
            return Node.withText(tag, attrs, content.path("text").asText());
        }
        if (content.has("hex")) {
            return Node.withBytes(tag, attrs, HEX.parseHex(content.path("hex").asText()));
        }
        List<Node> children = new java.util.ArrayList<>();
        content.path("children").forEach(child -> children.add(fromJson(child)));
        return Node.withChildren(tag, attrs, children);
    }

    /** Baileys threw; the message carries its stack. */
    public static final class OracleException extends RuntimeException {
        OracleException(String message) {
            super(message);
        }
    }
}
