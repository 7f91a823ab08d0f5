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
 * those secrets in clear.
 */
class SecretsAtRestTest {
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String TENANT_PROXY_PASSWORD = "tenant-proxy-pw-" + SUFFIX;
    private static final String INSTANCE_PROXY_PASSWORD = "instance-proxy-pw-" + SUFFIX;
    private static final String CHATWOOT_TOKEN = "chatwoot-token-" + SUFFIX;
    private static final String S3_SECRET = "s3-secret-key-" + SUFFIX;
    private static final String PLAINTEXT_CANARY = "stored-in-clear-on-purpose-" + SUFFIX;

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
                "PONTE_DATA_DIR", dataDir.toString(), "PONTE_ADMIN_TOKEN", GatewayFixture.ADMIN_TOKEN)),
                Clock.systemUTC());
        var http = new Http("http://127.0.0.1:" + gateway.port());
        var token = http.post("/v1/tenants", GatewayFixture.ADMIN_TOKEN, "{\"name\":\"secrets\"}").json()
                .get("token").asText();
        // instance metadata is plain configuration, stored as it is: the canary proving the scan can find text
        expectStatus(http.post("/v1/instances", token, "{\"name\":\"vault\",\"metadata\":{\"note\":\""
                + PLAINTEXT_CANARY + "\"}}"), 201);
        expectStatus(http.put("/v1/proxy", token, "{\"proxy_url\":\"socks5://team:" + TENANT_PROXY_PASSWORD
                + "@proxy.example:1080\"}"), 200);
        expectStatus(http.put("/v1/instances/vault/proxy", token, "{\"protocol\":\"http\",\"host\":\"own.example\","
                + "\"port\":3128,\"username\":\"me\",\"password\":\"" + INSTANCE_PROXY_PASSWORD + "\"}"), 200);
        expectStatus(http.put("/v1/instances/vault/chatwoot", token, "{\"base_url\":\"http://127.0.0.1:1\","
                + "\"account_id\":1,\"api_token\":\"" + CHATWOOT_TOKEN + "\",\"inbox_name\":\"Vault\"}"), 200);
        expectStatus(http.put("/v1/instances/vault/s3", token, "{\"bucket\":\"vault-media\",\"access_key_id\":\"a\","
                + "\"secret_access_key\":\"" + S3_SECRET + "\",\"endpoint\":\"http://127.0.0.1:1\"}"), 200);
        try (var connection = gateway.dataSource().getConnection(); var statement = connection.createStatement()) {
            statement.execute("checkpoint");
        }
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
                S3_SECRET);
    }

    @Test
    void noConfiguredSecretIsFoundInClearAnywhereInTheDataFolder() throws IOException {
        var found = filesContaining(List.of(TENANT_PROXY_PASSWORD, INSTANCE_PROXY_PASSWORD, CHATWOOT_TOKEN,
                S3_SECRET));
        assertThat(found).isEmpty();
    }

    @Test
    void theScanFindsTextThatIsStoredInClear() throws IOException {
        assertThat(filesContaining(List.of(PLAINTEXT_CANARY))).isNotEmpty();
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
