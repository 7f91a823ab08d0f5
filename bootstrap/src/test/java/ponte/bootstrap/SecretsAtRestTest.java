package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A gateway on the embedded default, with every kind of configured secret, then every byte of its data folder (the
 * PostgreSQL cluster with its heap files and write-ahead log, the master key) and everything it logged searched for
 * those secrets in clear. An instance linked to a sandbox phone adds what the newer tables hold: the device store's
 * private keys (sealed), the tokens (hashed) and a message body (stored in clear, as API.md says).
 */
class SecretsAtRestTest {
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String TENANT_PROXY_PASSWORD = "tenant-proxy-pw-" + SUFFIX;
    private static final String INSTANCE_PROXY_PASSWORD = "instance-proxy-pw-" + SUFFIX;
    private static final String CHATWOOT_TOKEN = "chatwoot-token-" + SUFFIX;
    private static final String S3_SECRET = "s3-secret-key-" + SUFFIX;
    private static final String WEBHOOK_SECRET = "webhook-secret-" + SUFFIX;
    private static final String WEBHOOK_AUTHORIZATION = "Bearer webhook-auth-" + SUFFIX;
    private static final String PLAINTEXT_CANARY = "stored-in-clear-on-purpose-" + SUFFIX;
    private static final String MESSAGE_TEXT = "a stored message body " + SUFFIX;
    private static final List<String> tokens = new ArrayList<>();
    private static UUID linkedId;

    @TempDir
    static Path dataDir;
    private static Gateway gateway;
    private static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();

    @BeforeAll
    static void configureEverySecretAndCheckpoint() throws Exception {
        var root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.DEBUG); // the most a curious operator could switch on
        LOG.start();
        root.addAppender(LOG);
        gateway = Gateway.start(Config.fromEnvironment(Map.of("PONTE_HOST", "127.0.0.1", "PONTE_PORT", "0",
                "PONTE_DATA_DIR", dataDir.toString(), "PONTE_ADMIN_TOKEN", GatewayFixture.ADMIN_TOKEN,
                "PONTE_WHATSAPP", "sandbox", "PONTE_SANDBOX_PORT", "0", "PONTE_EGRESS_ALLOW_PRIVATE", "true")),
                Clock.systemUTC());
        var http = new Http("http://127.0.0.1:" + gateway.port());
        var token = http.post("/v1/tenants", GatewayFixture.ADMIN_TOKEN, "{\"name\":\"secrets\"}").json()
                .get("token").asText();
        tokens.add(token);
        linkAndExchangeAText(http, token);
        // instance metadata is plain configuration, stored as it is: the canary proving the scan can find text
        var vault = http.post("/v1/instances", token, "{\"name\":\"vault\",\"metadata\":{\"note\":\""
                + PLAINTEXT_CANARY + "\"}}");
        expectStatus(vault, 201);
        tokens.add(vault.json().at("/instance/token").asText());
        expectStatus(http.put("/v1/proxy", token, "{\"proxy_url\":\"socks5://team:" + TENANT_PROXY_PASSWORD
                + "@proxy.example:1080\"}"), 200);
        expectStatus(http.put("/v1/instances/vault/proxy", token, "{\"protocol\":\"http\",\"host\":\"own.example\","
                + "\"port\":3128,\"username\":\"me\",\"password\":\"" + INSTANCE_PROXY_PASSWORD + "\"}"), 200);
        expectStatus(http.put("/v1/instances/vault/chatwoot", token, "{\"base_url\":\"http://127.0.0.1:1\","
                + "\"account_id\":1,\"api_token\":\"" + CHATWOOT_TOKEN + "\",\"inbox_name\":\"Vault\"}"), 200);
        expectStatus(http.put("/v1/instances/vault/s3", token, "{\"bucket\":\"vault-media\",\"access_key_id\":\"a\","
                + "\"secret_access_key\":\"" + S3_SECRET + "\",\"endpoint\":\"http://127.0.0.1:1\"}"), 200);
        expectStatus(http.post("/v1/instances/vault/webhooks", token, "{\"label\":\"crm\","
                + "\"url\":\"http://127.0.0.1:1/hook\",\"secret\":\"" + WEBHOOK_SECRET + "\","
                + "\"authorization\":\"" + WEBHOOK_AUTHORIZATION + "\"}"), 201);
        try (var connection = gateway.dataSource().getConnection(); var statement = connection.createStatement()) {
            statement.execute("checkpoint");
        }
    }

    /**
     * Before any proxy is set (the tenant's would reroute it): an instance linked to a sandbox phone, so the device
     * store holds its private keys and the messages table a text each way.
     */
    private static void linkAndExchangeAText(Http http, String token) throws Exception {
        var ana = "5511987654401";
        var bruno = "5511987654402";
        for (var phone : new String[] {ana, bruno}) {
            expectStatus(http.post("/v1/sandbox/phones", GatewayFixture.ADMIN_TOKEN, "{\"phone_number\":\"" + phone
                    + "\",\"push_name\":\"P\"}"), 201);
        }
        var created = http.post("/v1/instances", token, "{\"name\":\"linked\"}");
        expectStatus(created, 201);
        linkedId = UUID.fromString(created.json().at("/instance/id").asText());
        tokens.add(created.json().at("/instance/token").asText());
        var raw = http.post("/v1/instances/linked/connect", token, null).json().at("/qr/raw").asText();
        expectStatus(http.post("/v1/sandbox/phones/" + ana + "/scan", GatewayFixture.ADMIN_TOKEN,
                "{\"qr\":\"" + raw + "\"}"), 200);
        var deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (!http.get("/v1/instances/linked", token).json().at("/instance/status").asText().equals("connected")) {
            assertThat(System.nanoTime()).as("linked in time").isLessThan(deadline);
            Thread.sleep(100);
        }
        expectStatus(http.post("/v1/instances/linked/messages/text?wait=true", token, "{\"to\":\"+" + bruno
                + "\",\"text\":\"" + MESSAGE_TEXT + "\"}"), 201);
    }

    @AfterAll
    static void stop() throws IOException {
        gateway.close();
        var root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(LOG);
        root.setLevel(Level.INFO);
    }

    @Test
    void noConfiguredSecretIsLoggedEvenAtDebugLevel() {
        var logged = new StringBuilder();
        for (var event : List.copyOf(LOG.list)) {
            logged.append(event.getFormattedMessage()).append('\n');
            for (var thrown = event.getThrowableProxy(); thrown != null; thrown = thrown.getCause()) {
                logged.append(thrown.getMessage()).append('\n');
            }
        }
        assertThat(LOG.list).as("the capture works").isNotEmpty();
        assertThat(logged.toString()).doesNotContain(TENANT_PROXY_PASSWORD, INSTANCE_PROXY_PASSWORD, CHATWOOT_TOKEN,
                S3_SECRET, WEBHOOK_SECRET, WEBHOOK_AUTHORIZATION);
    }

    @Test
    void noConfiguredSecretIsFoundInClearAnywhereInTheDataFolder() throws IOException {
        var found = filesContaining(List.of(TENANT_PROXY_PASSWORD, INSTANCE_PROXY_PASSWORD, CHATWOOT_TOKEN,
                S3_SECRET, WEBHOOK_SECRET, WEBHOOK_AUTHORIZATION));
        assertThat(found).isEmpty();
    }

    @Test
    void theScanFindsTextThatIsStoredInClear() throws IOException {
        assertThat(filesContaining(List.of(PLAINTEXT_CANARY))).isNotEmpty();
    }

    /** Tokens are kept as hashes only (API.md: stored hashed, shown once). */
    @Test
    void noTokenIsFoundInClearAnywhereInTheDataFolder() throws IOException {
        assertThat(tokens).hasSize(3);
        assertThat(filesContaining(List.copyOf(tokens))).isEmpty();
    }

    /**
     * The linked device's private keys, opened from the device store with the master key, appear nowhere in the data
     * folder as they are, nor in base64 or hex: every private key is sealed before it reaches a column.
     */
    @Test
    void noSignalOrNoisePrivateKeyIsFoundInClearAnywhereInTheDataFolder() throws Exception {
        var cipher = new AesGcmSecretCipher(java.util.Base64.getDecoder().decode(
                Files.readString(dataDir.resolve("master.key")).strip()), new java.security.SecureRandom());
        var keys = new java.util.LinkedHashMap<String, byte[]>();
        try (var connection = gateway.dataSource().getConnection();
             var statement = connection.prepareStatement("select noise_private_sealed, identity_private_sealed, "
                     + "signed_prekey_private_sealed from whatsapp_store.device where device_id = ?")) {
            statement.setObject(1, linkedId);
            try (var rows = statement.executeQuery()) {
                assertThat(rows.next()).isTrue();
                keys.put("noise private key", cipher.open(rows.getBytes(1)));
                keys.put("identity private key", cipher.open(rows.getBytes(2)));
                keys.put("signed prekey private key", cipher.open(rows.getBytes(3)));
            }
        }
        try (var connection = gateway.dataSource().getConnection();
             var statement = connection.prepareStatement("select private_sealed from whatsapp_store.device_prekey "
                     + "where device_id = ? limit 5")) {
            statement.setObject(1, linkedId);
            try (var rows = statement.executeQuery()) {
                for (int i = 0; rows.next(); i++) {
                    keys.put("one-time prekey " + i, cipher.open(rows.getBytes(1)));
                }
            }
        }
        assertThat(keys).hasSizeGreaterThan(3);
        var hits = new ArrayList<String>();
        for (var key : keys.entrySet()) {
            for (var file : dataFiles()) {
                if (indexOf(file.getValue(), key.getValue()) >= 0) {
                    hits.add(file.getKey() + ": " + key.getKey());
                }
            }
            var texts = List.of(java.util.HexFormat.of().formatHex(key.getValue()),
                    java.util.Base64.getEncoder().encodeToString(key.getValue()));
            filesContaining(texts).forEach(hit -> hits.add(hit + " (" + key.getKey() + ")"));
        }
        assertThat(hits).isEmpty();
    }

    /** Message bodies are stored by design (API.md: every message is stored, PONTE_MESSAGE_RETENTION_DAYS). */
    @Test
    void messageTextIsStoredAsTheApiSays() throws IOException {
        assertThat(filesContaining(List.of(MESSAGE_TEXT))).isNotEmpty();
    }

    private static List<Map.Entry<String, byte[]>> dataFiles() throws IOException {
        var out = new ArrayList<Map.Entry<String, byte[]>>();
        try (var files = Files.walk(dataDir)) {
            for (var file : files.filter(Files::isRegularFile).toList()) {
                try {
                    out.add(Map.entry(dataDir.relativize(file).toString(), Files.readAllBytes(file)));
                } catch (IOException vanished) {
                    // PostgreSQL removes temporary files while we walk
                }
            }
        }
        return out;
    }

    @Test
    void theGeneratedMasterKeyIsReadableByItsOwnerOnly() throws IOException {
        var key = dataDir.resolve("master.key");
        assertThat(Files.getPosixFilePermissions(key))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    }

    /** Every file of the data folder holding one of the texts, as "file: text". */
    private static List<String> filesContaining(List<String> texts) throws IOException {
        var hits = new ArrayList<String>();
        try (var files = Files.walk(dataDir)) {
            for (var file : files.filter(Files::isRegularFile).toList()) {
                byte[] content;
                try {
                    content = Files.readAllBytes(file);
                } catch (IOException vanished) {
                    continue; // PostgreSQL removes temporary files while we walk
                }
                for (var text : texts) {
                    if (indexOf(content, text.getBytes(StandardCharsets.UTF_8)) >= 0) {
                        hits.add(dataDir.relativize(file) + ": " + text);
                    }
                }
            }
        }
        return hits;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void expectStatus(Http.Response response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
    }
}
