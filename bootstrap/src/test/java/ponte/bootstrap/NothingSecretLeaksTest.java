package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import java.security.SecureRandom;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Nothing secret in a log or an event (issue 17 item 5), end to end: a gateway on the sandbox with every kind of
 * secret configured (webhook secret and authorization, an instance proxy's password it dials through, Chatwoot and
 * S3 credentials), an instance linked to a sandbox phone and text messages both ways, while every log line of the
 * JVM is captured at DEBUG. Then the captured logs and every webhook payload are searched for the tokens (admin,
 * account, instance), those secrets, the linked device's Signal and Noise private keys and ADV secret (read back
 * from the device store and opened with the master key; searched as hex and base64), and the text of the messages.
 *
 * <p>The one secret an event carries by design is the ADV secret inside a QR rotation's {@code qr}: the QR is what
 * the phone scans, and WhatsApp's QR holds it. Message text belongs in exactly one place of an event: {@code data.message.text} of {@code message.exchange}
 * (API.md's message object). It may not be logged at all.
 */
class NothingSecretLeaksTest {
    private static final String ADMIN = GatewayFixture.ADMIN_TOKEN;
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final byte[] MASTER_KEY = new SecureRandom().generateSeed(32);
    private static final String WEBHOOK_SECRET = "leak-webhook-secret-" + SUFFIX;
    private static final String WEBHOOK_AUTHORIZATION = "Bearer leak-webhook-auth-" + SUFFIX;
    private static final String PROXY_PASSWORD = "leak-proxy-pw-" + SUFFIX;
    private static final String CHATWOOT_TOKEN = "leak-chatwoot-" + SUFFIX;
    private static final String S3_SECRET = "leak-s3-secret-" + SUFFIX;
    private static final String TEXT_OUT = "leak text from the shop " + SUFFIX;
    private static final String TEXT_IN = "leak text from the phone " + SUFFIX;
    /** Both texts start with it: a log line quoting a message in part still has it. */
    private static final String TEXT_MARK = "leak text from";
    private static final String ANA = "5511987653001";
    private static final String BRUNO = "5511987653002";

    private static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();
    private static GatewayFixture gateway;
    private static Receiver receiver;
    private static Http http;
    private static GatewayFixture.Tenant tenant;
    private static GatewayFixture.Instance shop;
    private static GatewayFixture.Instance proxied;
    private static Level rootLevel;
    private static java.util.logging.Level julLevel;
    private static final List<java.util.logging.LogRecord> JUL_RECORDS = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static final java.util.logging.Handler JUL = new java.util.logging.Handler() {
        @Override
        public void publish(java.util.logging.LogRecord record) {
            JUL_RECORDS.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeAll
    static void exchangeMessagesWithEverySecretConfigured() throws Exception {
        var root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        rootLevel = root.getLevel();
        root.setLevel(Level.DEBUG); // the most a curious operator could switch on
        LOG.start();
        root.addAppender(LOG);
        // the wire client logs through System.Logger, which is java.util.logging here: captured at FINE (DEBUG) too
        var julRoot = java.util.logging.Logger.getLogger("");
        julLevel = julRoot.getLevel();
        julRoot.setLevel(java.util.logging.Level.FINE);
        julRoot.addHandler(JUL);
        gateway = GatewayFixture.start(Map.of("PONTE_WHATSAPP", "sandbox", "PONTE_SANDBOX_PORT", "0",
                "PONTE_WEBHOOK_POLL_MS", "50", "PONTE_MASTER_KEY", Base64.getEncoder().encodeToString(MASTER_KEY)));
        http = gateway.http();
        receiver = Receiver.start();
        tenant = gateway.newTenant("leaks");
        shop = gateway.newInstance(tenant, "leak-shop");
        proxied = gateway.newInstance(tenant, "leak-proxied");
        var base = "/v1/instances/" + shop.id();
        expect(http.post(base + "/webhooks", tenant.token(), "{\"label\":\"crm\",\"url\":\"" + receiver.url("/hook")
                + "\",\"secret\":\"" + WEBHOOK_SECRET + "\",\"authorization\":\"" + WEBHOOK_AUTHORIZATION + "\"}"),
                201);
        expect(http.put(base + "/chatwoot", tenant.token(), "{\"base_url\":\"http://127.0.0.1:1\",\"account_id\":1,"
                + "\"api_token\":\"" + CHATWOOT_TOKEN + "\",\"inbox_name\":\"Leaks\"}"), 200);
        expect(http.put(base + "/s3", tenant.token(), "{\"bucket\":\"leaks\",\"access_key_id\":\"a\","
                + "\"secret_access_key\":\"" + S3_SECRET + "\",\"endpoint\":\"http://127.0.0.1:1\"}"), 200);
        // a proxy that refuses: the instance dials through it, fails, and reports proxy_error
        expect(http.put("/v1/instances/" + proxied.id() + "/proxy", tenant.token(), "{\"proxy_url\":\"socks5://me:"
                + PROXY_PASSWORD + "@127.0.0.1:1\"}"), 200);
        http.post("/v1/instances/" + proxied.id() + "/connect", tenant.token(), null);

        expect(http.post("/v1/sandbox/phones", ADMIN, "{\"phone_number\":\"" + ANA + "\",\"push_name\":\"Ana\"}"),
                201);
        expect(http.post("/v1/sandbox/phones", ADMIN, "{\"phone_number\":\"" + BRUNO
                + "\",\"push_name\":\"Bruno\"}"), 201);
        var raw = http.post(base + "/connect", tenant.token(), null).json().at("/qr/raw").asText();
        expect(http.post("/v1/sandbox/phones/" + ANA + "/scan", ADMIN, "{\"qr\":\"" + raw + "\"}"), 200);
        await(() -> http.get(base, tenant.token()).json().at("/instance/status").asText().equals("connected"));
        // at once: connected means the phone's peers can reach the device (LinkRaceTest)
        expect(http.post("/v1/sandbox/phones/" + BRUNO + "/messages", ADMIN, "{\"to\":\"" + ANA + "\",\"text\":\""
                + TEXT_IN + "\"}"), 200);
        await(() -> receiver.requests().stream().anyMatch(r -> r.body().contains(TEXT_IN)));
        var sent = http.post(base + "/messages/text", tenant.token(), "{\"to\":\"+" + BRUNO + "\",\"text\":\""
                + TEXT_OUT + "\"}");
        expect(sent, 202);
        await(() -> receiver.requests().stream().anyMatch(r -> r.body().contains(TEXT_OUT))
                && receiver.requests().stream().anyMatch(r -> r.body().contains("\"delivered\"")));
        await(() -> http.get("/v1/instances/" + proxied.id(), tenant.token()).json().at("/instance/status").asText()
                .equals("disconnected"));
    }

    @AfterAll
    static void stop() {
        var root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(LOG);
        root.setLevel(rootLevel);
        var julRoot = java.util.logging.Logger.getLogger("");
        julRoot.removeHandler(JUL);
        julRoot.setLevel(julLevel);
        if (receiver != null) {
            receiver.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void noSecretAndNoMessageTextIsLoggedEvenAtDebugLevel() throws Exception {
        var logged = new StringBuilder();
        for (var event : List.copyOf(LOG.list)) {
            logged.append(event.getFormattedMessage()).append(' ').append(event.getMDCPropertyMap()).append('\n');
            for (var thrown = event.getThrowableProxy(); thrown != null; thrown = thrown.getCause()) {
                logged.append(thrown.getClassName()).append(": ").append(thrown.getMessage()).append('\n');
            }
        }
        var formatter = new java.util.logging.SimpleFormatter();
        for (var record : JUL_RECORDS) {
            logged.append(formatter.formatMessage(record)).append('\n');
            for (var thrown = record.getThrown(); thrown != null; thrown = thrown.getCause()) {
                logged.append(thrown).append('\n');
            }
        }
        assertThat(LOG.list.stream().filter(e -> e.getLevel() == Level.DEBUG)).as("DEBUG is captured").isNotEmpty();
        assertThat(JUL_RECORDS).as("the wire client's log is captured").isNotEmpty();
        var text = logged.toString();
        var leaks = new ArrayList<String>();
        secrets().forEach((name, secret) -> {
            if (text.contains(secret)) {
                leaks.add(name);
            }
        });
        for (var message : List.of(TEXT_OUT, TEXT_IN)) {
            if (text.contains(message) || text.contains(TEXT_MARK)) {
                leaks.add("message text");
            }
        }
        assertThat(leaks).as("secrets in %d captured log events", LOG.list.size() + JUL_RECORDS.size()).isEmpty();
    }

    @Test
    void noSecretInAnyWebhookPayloadAndMessageTextOnlyInTheMessage() throws Exception {
        var requests = receiver.requests();
        assertThat(requests).hasSizeGreaterThan(3);
        var secrets = secrets();
        for (var request : requests) {
            // the QR a phone scans carries the ADV secret by protocol (ref, noise key, identity key, ADV secret:
            // protocol.md), and API.md makes QR rotations events: there, and only there, it is expected
            var body = request.json().at("/data/qr").isTextual()
                    ? request.body().replace(request.json().at("/data/qr").asText(), "<qr>") : request.body();
            secrets.forEach((name, secret) -> assertThat(body).as(name + " in " + request.body())
                    .doesNotContain(secret));
            var where = new ArrayList<String>();
            textAt(request.json(), "", where);
            var event = request.json().path("event").asText();
            assertThat(where).as("where message text sits in " + request.body())
                    .allMatch(pointer -> event.equals("message.exchange") && pointer.equals("/data/message/text"));
        }
    }

    /** Every JSON pointer of a string holding one of the messages' texts. */
    private static void textAt(JsonNode node, String at, List<String> out) {
        if (node.isTextual() && node.asText().contains(TEXT_MARK)) {
            out.add(at);
        } else if (node.isObject()) {
            node.properties().forEach(p -> textAt(p.getValue(), at + "/" + p.getKey(), out));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                textAt(node.get(i), at + "/" + i, out);
            }
        }
    }

    /** Every secret by name; key material as hex and base64 (both forms a careless log would print). */
    private static Map<String, String> secrets() throws Exception {
        var secrets = new LinkedHashMap<String, String>();
        secrets.put("admin token", ADMIN);
        secrets.put("account token", tenant.token());
        secrets.put("instance token", shop.token());
        secrets.put("proxied instance token", proxied.token());
        secrets.put("webhook secret", WEBHOOK_SECRET);
        secrets.put("webhook authorization", WEBHOOK_AUTHORIZATION);
        secrets.put("proxy password", PROXY_PASSWORD);
        secrets.put("chatwoot token", CHATWOOT_TOKEN);
        secrets.put("s3 secret", S3_SECRET);
        var cipher = new AesGcmSecretCipher(MASTER_KEY, new SecureRandom());
        var db = gateway.database();
        try (var connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             var statement = connection.prepareStatement("select noise_private_sealed, identity_private_sealed, "
                     + "signed_prekey_private_sealed, adv_secret_sealed from whatsapp_store.device "
                     + "where device_id = ?")) {
            statement.setObject(1, UUID.fromString(shop.id()));
            try (var rows = statement.executeQuery()) {
                assertThat(rows.next()).as("the linked device's keys").isTrue();
                var names = new String[] {"noise private key", "identity private key", "signed prekey private key",
                        "ADV secret"};
                for (int i = 0; i < names.length; i++) {
                    var key = cipher.open(rows.getBytes(i + 1));
                    assertThat(key.length).isGreaterThanOrEqualTo(16);
                    secrets.put(names[i] + " (hex)", HexFormat.of().formatHex(key));
                    secrets.put(names[i] + " (base64)", Base64.getEncoder().withoutPadding().encodeToString(key));
                    secrets.put(names[i] + " (base64url)", Base64.getUrlEncoder().withoutPadding()
                            .encodeToString(key));
                }
            }
        }
        return secrets;
    }

    private static void expect(Http.Response response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
    }

    private static void await(java.util.function.BooleanSupplier done) throws InterruptedException {
        var deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out; the receiver has " + receiver.requests().stream()
                        .map(r -> r.json().path("event").asText() + "/" + r.json().at("/data/type").asText()
                                + r.json().at("/data/status").asText()).toList());
            }
            Thread.sleep(50);
        }
    }
}
