package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static ponte.bootstrap.ErrorEnvelopeTest.assertEnvelope;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import ponte.domain.event.EventType;

/**
 * Limits that protect the node (issue 17 item 8): per-tenant request, send and live-client caps, slow clients cut
 * off, bodies over their cap refused before they are read whole. Every socket here is a real one.
 */
class NodeLimitsTest {
    private static final int REQUESTS = 40;
    private static final int SENDS = 5;
    private static final int BODY = 4096;
    private static final int MEDIA_BODY = 64 * 1024;
    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass(Map.of(
            "PONTE_RATE_LIMIT_REQUESTS", Integer.toString(REQUESTS),
            "PONTE_RATE_LIMIT_SENDS", Integer.toString(SENDS),
            "PONTE_LIVE_CLIENTS_PER_TENANT", "2",
            "PONTE_MAX_BODY_BYTES", Integer.toString(BODY),
            "PONTE_MAX_MEDIA_BODY_BYTES", Integer.toString(MEDIA_BODY),
            "PONTE_HTTP_HEADER_TIMEOUT_SECONDS", "2",
            "PONTE_HTTP_MIN_BODY_RATE", "2000"));
    private static Http http;
    private static int port;

    @BeforeAll
    static void start() {
        http = gateway.http();
        port = URI.create(http.base()).getPort();
    }

    @Test
    void theRequestLimitIsOneBucketPerTenantSharedByItsTokensAndNotWithTheAdmin() {
        var tenant = gateway.newTenant("bucket");
        var instance = gateway.newInstance(tenant, "bucket-1");
        var other = gateway.newTenant("bucket-neighbour");
        int allowed = 0;
        // account and instance tokens of one tenant draw on the same bucket (its creation took a few already)
        for (int i = 0; i < 2 * REQUESTS && http.get("/v1/me", i % 2 == 0 ? tenant.token() : instance.token())
                .status() == 200; i++) {
            allowed++;
        }
        assertThat(allowed).isBetween(REQUESTS - 5, REQUESTS + 3);
        var refused = http.get("/v1/instances/" + instance.id(), instance.token());
        assertEnvelope(refused, 429, "RATE_LIMITED");
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 2);
        assertThat(refused.header("RateLimit-Limit")).isEqualTo(Integer.toString(REQUESTS));
        assertThat(refused.header("RateLimit-Remaining")).isEqualTo("0");
        assertThat(http.get("/v1/me", other.token()).status()).isEqualTo(200);
        assertThat(http.get("/v1/tenants/" + tenant.id(), GatewayFixture.ADMIN_TOKEN).status()).isEqualTo(200);
    }

    @Test
    void theBucketRefillsAtItsRateSoAClientThatWaitsGoesOn() {
        var tenant = gateway.newTenant("refill");
        while (http.get("/v1/me", tenant.token()).status() == 200) {
            // empty the bucket
        }
        var refused = http.get("/v1/me", tenant.token());
        Receiver.sleep(Integer.parseInt(refused.header("Retry-After")) * 1000L + 200);
        assertThat(http.get("/v1/me", tenant.token()).status()).isEqualTo(200);
    }

    @Test
    void sendsAreCountedPerTenantAcrossEveryMessageRouteAndItsInstances() {
        var tenant = gateway.newTenant("sender");
        var first = gateway.newInstance(tenant, "sender-1");
        var second = gateway.newInstance(tenant, "sender-2");
        String[] routes = {"/messages/text", "/messages/location", "/messages/image", "/messages/poll",
                "/messages/reaction"};
        for (int i = 0; i < SENDS; i++) {
            var instance = i % 2 == 0 ? first : second;
            var answer = http.post("/v1/instances/" + instance.id() + routes[i], instance.token(), "{}");
            // never paired and an empty body: refused for that, after the send was counted
            assertThat(answer.status()).as(answer.toString()).isIn(400, 409);
        }
        var refused = http.post("/v1/instances/" + first.id() + "/messages/text", tenant.token(),
                "{\"to\":\"5511999990000\",\"text\":\"hi\"}");
        assertEnvelope(refused, 429, "RATE_LIMITED");
        assertThat(refused.json().get("error").asText()).contains("sends");
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 60 / SENDS);
        assertEnvelope(http.send("PATCH", "/v1/instances/" + second.id() + "/messages/3EB0AAAA", second.token(),
                "{\"text\":\"x\"}", Map.of()), 429, "RATE_LIMITED");
        // reading is not sending
        assertThat(http.get("/v1/instances/" + first.id() + "/chats", tenant.token()).status()).isEqualTo(200);
        var calm = gateway.newTenant("sender-calm");
        var calmInstance = gateway.newInstance(calm, "calm-1");
        assertThat(http.post("/v1/instances/" + calmInstance.id() + "/messages/text", calm.token(), "{}").status())
                .isNotEqualTo(429);
    }

    @Test
    void aTenantHasAtMostItsLiveClientsOpenWebSocketAndSseTogether() throws Exception {
        var tenant = gateway.newTenant("watchers");
        var instance = gateway.newInstance(tenant, "watched");
        http.put("/v1/instances/" + instance.id() + "/websocket", tenant.token(), "{\"enabled\":true}");
        var ws = http.base().replace("http://", "ws://") + "/v1/instances/" + instance.id() + "/ws?token="
                + instance.token();
        try (var one = WsClient.connect(ws, false); var sse = openSse(instance)) {
            var refused = WsClient.upgradeRequest(http.base(), "/v1/instances/" + instance.id() + "/ws?token="
                    + instance.token(), Map.of());
            assertEnvelope(refused, 429, "RATE_LIMITED");
            assertThat(refused.header("Retry-After")).isNotBlank();
            assertEnvelope(http.get("/v1/instances/" + instance.id() + "/events/stream", tenant.token()), 429,
                    "RATE_LIMITED");
            // another tenant's clients are counted apart
            var other = gateway.newTenant("watchers-other");
            var theirs = gateway.newInstance(other, "theirs");
            http.put("/v1/instances/" + theirs.id() + "/websocket", other.token(), "{\"enabled\":true}");
            assertThat(WsClient.upgradeRequest(http.base(), "/v1/instances/" + theirs.id() + "/ws?token="
                    + theirs.token(), Map.of()).status()).isEqualTo(101);
        }
        // a closed client gives its place back
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int status = 0;
        while (System.nanoTime() < deadline && (status = WsClient.upgradeRequest(http.base(), "/v1/instances/"
                + instance.id() + "/ws?token=" + instance.token(), Map.of()).status()) != 101) {
            Receiver.sleep(100);
        }
        assertThat(status).isEqualTo(101);
    }

    @Test
    void aBodyAnnouncedOverTheCapIsRefusedAtOnceWithoutReadingIt() throws Exception {
        var tenant = gateway.newTenant("big-body");
        try (var socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            var out = socket.getOutputStream();
            out.write(("POST /v1/instances HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + tenant.token()
                    + "\r\nContent-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n{\"name\":")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long started = System.nanoTime();
            var response = readResponse(socket.getInputStream());
            assertThat(response).startsWith("HTTP/1.1 413");
            assertThat(response).contains("\"error_code\":\"PAYLOAD_TOO_LARGE\"").contains("4096");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        }
        // without a token it is the same 413: nothing is looked at before the size
        var anonymous = http.send("POST", "/v1/instances", null, "x".repeat(BODY + 1), Map.of());
        assertEnvelope(anonymous, 413, "PAYLOAD_TOO_LARGE");
    }

    @Test
    void aChunkedBodyIsCutOffWhenItPassesTheCapNotReadWhole() throws Exception {
        var tenant = gateway.newTenant("chunked");
        var sent = new AtomicLong();
        try (var socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            out.write(("POST /v1/instances HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + tenant.token()
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            var writer = Thread.ofVirtual().start(() -> {
                var chunk = ("400\r\n" + "a".repeat(0x400) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                try {
                    for (int i = 0; i < 100_000; i++) { // 100 MB if nobody stops it
                        out.write(chunk);
                        sent.addAndGet(0x400);
                    }
                } catch (IOException expected) {
                    // the server answered and closed
                }
            });
            var response = readResponse(socket.getInputStream());
            assertThat(response).startsWith("HTTP/1.1 413").contains("\"error_code\":\"PAYLOAD_TOO_LARGE\"");
            writer.join(Duration.ofSeconds(20));
            assertThat(writer.isAlive()).isFalse();
            assertThat(sent.get()).as("bytes sent before the server stopped reading").isLessThan(20L * 1024 * 1024);
        }
        assertThat(http.get("/v1/instances", tenant.token()).json().get("data")).isEmpty();
    }

    @Test
    void mediaRoutesTakeTheirOwnLargerCap() {
        var tenant = gateway.newTenant("media-cap");
        var instance = gateway.newInstance(tenant, "media-cap-1");
        var base64 = "A".repeat(BODY * 2);
        var image = http.post("/v1/instances/" + instance.id() + "/messages/image", tenant.token(),
                "{\"to\":\"5511999990000\",\"base64\":\"" + base64 + "\"}");
        assertThat(image.status()).as(image.toString()).isNotEqualTo(413);
        var tooBig = http.post("/v1/instances/" + instance.id() + "/messages/image", tenant.token(),
                "{\"to\":\"5511999990000\",\"base64\":\"" + "A".repeat(MEDIA_BODY) + "\"}");
        assertEnvelope(tooBig, 413, "PAYLOAD_TOO_LARGE");
        var text = http.post("/v1/instances/" + instance.id() + "/messages/text", tenant.token(),
                "{\"to\":\"5511999990000\",\"text\":\"" + base64 + "\"}");
        assertEnvelope(text, 413, "PAYLOAD_TOO_LARGE");
    }

    @Test
    void aClientDribblingItsHeadersIsCutOffWhileOthersAreServed() throws Exception {
        try (var slow = new Socket("127.0.0.1", port)) {
            slow.setSoTimeout(1000);
            var out = slow.getOutputStream();
            var head = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + "a".repeat(100) + "\r\n\r\n";
            long started = System.nanoTime();
            boolean cut = false;
            for (int i = 0; i < head.length() && !cut; i++) {
                try {
                    out.write(head.charAt(i));
                    out.flush();
                    Thread.sleep(100); // well inside the idle timeout: only the head deadline stops this
                    assertThat(http.get("/healthz", null).status()).isEqualTo(200);
                    cut = slow.getInputStream().available() == 0 && peekClosed(slow);
                } catch (IOException e) {
                    cut = true;
                }
            }
            assertThat(cut).as("the dribbling client was cut off").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofSeconds(2),
                    Duration.ofSeconds(6));
        }
    }

    @Test
    void aClientDribblingItsBodyIsCutOff() throws Exception {
        var tenant = gateway.newTenant("dribble");
        try (var slow = new Socket("127.0.0.1", port)) {
            slow.setSoTimeout(1000);
            var out = slow.getOutputStream();
            out.write(("POST /v1/instances HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + tenant.token()
                    + "\r\nContent-Type: application/json\r\nContent-Length: 2000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            long started = System.nanoTime();
            boolean cut = false;
            for (int i = 0; i < 2000 && !cut; i++) {
                try {
                    out.write(' ');
                    out.flush();
                    Thread.sleep(100);
                    cut = peekClosed(slow);
                } catch (IOException e) {
                    cut = true;
                }
            }
            assertThat(cut).as("the dribbling body was cut off").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
        }
    }

    @Test
    void aQuietLiveClientThatReadsIsNotTakenForASlowOne() throws Exception {
        var tenant = gateway.newTenant("quiet-reader");
        var instance = gateway.newInstance(tenant, "quiet-1");
        http.put("/v1/instances/" + instance.id() + "/websocket", tenant.token(), "{\"enabled\":true}");
        try (var sse = new Socket("127.0.0.1", port)) {
            sse.getOutputStream().write(("GET /v1/instances/" + instance.id() + "/events/stream?token="
                    + instance.token() + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            sse.setSoTimeout(10_000);
            // well past the head timeout (2 s) with no request body and nothing to read
            Receiver.sleep(4500);
            var event = Events.message(gateway, tenant, instance, "still listening");
            var seen = new StringBuilder();
            var in = sse.getInputStream();
            var buffer = new byte[8192];
            while (!seen.toString().contains(event.eventId().toString())) {
                int n = in.read(buffer);
                assertThat(n).as("the quiet SSE client was disconnected").isPositive();
                seen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void anSseClientThatNeverReadsIsDisconnectedWithoutSlowingTheOthers() throws Exception {
        var tenant = gateway.newTenant("sse-slow");
        var instance = gateway.newInstance(tenant, "sse-slow-1");
        http.put("/v1/instances/" + instance.id() + "/websocket", tenant.token(), "{\"enabled\":true}");
        var padding = "x".repeat(32 * 1024);
        int events = 600;
        try (var stuck = new Socket()) {
            stuck.setReceiveBufferSize(4096);
            stuck.connect(new java.net.InetSocketAddress("127.0.0.1", port));
            stuck.getOutputStream().write(("GET /v1/instances/" + instance.id() + "/events/stream?token="
                    + instance.token() + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            Receiver.sleep(300);
            var ws = http.base().replace("http://", "ws://") + "/v1/instances/" + instance.id() + "/ws?token="
                    + instance.token();
            try (var reader = WsClient.connect(ws, false)) {
                for (int i = 0; i < events; i++) {
                    Events.ingest(gateway, tenant, instance, EventType.MESSAGE_EXCHANGE,
                            Map.of("type", "text", "text", "n" + i, "padding", padding));
                }
                assertThat(reader.awaitFrames(events, Duration.ofSeconds(30))).hasSize(events);
            }
            // the stuck client now drains what reached its socket, then finds the connection closed
            stuck.setSoTimeout(10_000);
            var in = stuck.getInputStream();
            long read = 0;
            var buffer = new byte[64 * 1024];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    read += n;
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the stuck SSE client was not disconnected", e);
            } catch (IOException reset) {
                // a reset is a disconnection too
            }
            assertThat(read).isLessThan((long) events * padding.length());
        }
    }

    private static java.io.Closeable openSse(GatewayFixture.Instance instance) throws IOException {
        var socket = new Socket("127.0.0.1", port);
        socket.getOutputStream().write(("GET /v1/instances/" + instance.id() + "/events/stream?token="
                + instance.token() + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.setSoTimeout(5000);
        var head = new byte[12];
        assertThat(socket.getInputStream().readNBytes(head, 0, 12)).isEqualTo(12);
        assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
        return socket;
    }

    /** Whether the server closed the socket (a read finds its end) without waiting long. */
    private static boolean peekClosed(Socket socket) throws IOException {
        int before = socket.getSoTimeout();
        socket.setSoTimeout(1);
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } finally {
            socket.setSoTimeout(before);
        }
    }

    /** The response's head and (Content-Length) body, as text. */
    private static String readResponse(InputStream in) throws IOException {
        var head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        var text = head.toString(StandardCharsets.US_ASCII);
        var length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(text);
        if (length.find()) {
            text += new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.UTF_8);
        }
        return text;
    }
}
