package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static ponte.bootstrap.ErrorEnvelopeTest.assertEnvelope;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import ponte.application.port.in.MediaUseCase;
import ponte.domain.event.EventType;
import ponte.domain.message.MessageId;

/**
 * Media through the whole gateway: stored by the media use case (as the receive path will), served by
 * {@code GET /v1/instances/{id}/media/{message_id}} byte for byte, whole and in ranges, from the local store and
 * from a real S3-compatible server (s3proxy); embedded in webhook and WebSocket events with {@code media_base64}.
 */
class MediaEndToEndTest {
    private static final String ACCESS_KEY = "media-access";
    private static final String SECRET_KEY = "media-secret-51f0a";
    private static final long BASE64_MAX = 100_000;
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final S3Server S3 = S3Server.onDisk(ACCESS_KEY, SECRET_KEY);

    private static final Path DATA = temporaryDirectory();
    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass(Map.of(
            "PONTE_MEDIA_BASE64_MAX_BYTES", Long.toString(BASE64_MAX), "PONTE_DATA_DIR", DATA.toString()));
    private static Http http;
    private static GatewayFixture.Tenant tenant;
    private static final HttpClient RAW = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        S3.start();
        S3.request("PUT", "/media-bucket");
        http = gateway.http();
        tenant = gateway.newTenant("media");
    }

    @AfterAll
    static void stop() {
        S3.stop();
    }

    @Test
    void aLocallyStoredFileIsServedWholeAndInRangesWithItsType() throws Exception {
        var instance = gateway.newInstance(tenant, "media-local");
        var bytes = random(300_000);
        var stored = store(instance, "3EB0AA00000000000001", bytes, "image/jpeg", Optional.of("photo 1.jpg"));
        // PONTE_PUBLIC_URL (here its default, built from the configured port) in front of the media route
        assertThat(stored.url()).isEqualTo("http://localhost:0/v1/instances/" + instance.id()
                + "/media/3EB0AA00000000000001");
        assertThat(stored.size()).isEqualTo(bytes.length);
        assertThat(stored.sha256()).isEqualTo(sha256(bytes));

        var whole = get(instance, "3EB0AA00000000000001", instance.token(), null);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(bytes);
        assertThat(whole.headers().firstValue("Content-Type")).contains("image/jpeg");
        assertThat(whole.headers().firstValue("Content-Length")).contains("300000");
        assertThat(whole.headers().firstValue("Accept-Ranges")).contains("bytes");
        assertThat(whole.headers().firstValue("Content-Disposition")).contains(
                "inline; filename*=UTF-8''photo%201.jpg");

        var middle = get(instance, "3EB0AA00000000000001", tenant.token(), "bytes=1000-1999");
        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(middle.headers().firstValue("Content-Range")).contains("bytes 1000-1999/300000");
        assertThat(middle.headers().firstValue("Content-Length")).contains("1000");
        assertThat(middle.body()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 1000, 2000));

        var suffix = get(instance, "3EB0AA00000000000001", instance.token(), "bytes=-10");
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(suffix.body()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 299_990, 300_000));
        var tail = get(instance, "3EB0AA00000000000001", instance.token(), "bytes=299000-");
        assertThat(tail.headers().firstValue("Content-Range")).contains("bytes 299000-299999/300000");
        assertThat(tail.body()).hasSize(1000);
        var pastEnd = get(instance, "3EB0AA00000000000001", instance.token(), "bytes=299990-400000");
        assertThat(pastEnd.headers().firstValue("Content-Range")).contains("bytes 299990-299999/300000");

        var outside = get(instance, "3EB0AA00000000000001", instance.token(), "bytes=300000-");
        assertThat(outside.statusCode()).isEqualTo(416);
        assertThat(outside.headers().firstValue("Content-Range")).contains("bytes */300000");
        assertThat(JSON.readTree(outside.body()).get("error_code").asText()).isEqualTo("RANGE_NOT_SATISFIABLE");
        // a first byte too large to count is past the end too, not a reason to send the whole file
        var overflowing = get(instance, "3EB0AA00000000000001", instance.token(), "bytes=99999999999999999999-");
        assertThat(overflowing.statusCode()).isEqualTo(416);
        assertThat(overflowing.headers().firstValue("Content-Range")).contains("bytes */300000");
        var hugeLast = get(instance, "3EB0AA00000000000001", instance.token(), "bytes=299999-99999999999999999999");
        assertThat(hugeLast.statusCode()).isEqualTo(206);
        assertThat(hugeLast.headers().firstValue("Content-Range")).contains("bytes 299999-299999/300000");

        // HEAD: the GET's status and headers, no body
        var head = RAW.send(HttpRequest.newBuilder(URI.create(http.base() + "/v1/instances/" + instance.id()
                        + "/media/3EB0AA00000000000001")).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Bearer " + instance.token()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Type")).contains("image/jpeg");
        assertThat(head.headers().firstValue("Content-Length")).contains("300000");
        assertThat(head.headers().firstValue("Accept-Ranges")).contains("bytes");
        var headRange = RAW.send(HttpRequest.newBuilder(URI.create(http.base() + "/v1/instances/" + instance.id()
                        + "/media/3EB0AA00000000000001")).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Range", "bytes=0-9").header("Authorization", "Bearer " + instance.token()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(headRange.statusCode()).isEqualTo(206);
        assertThat(headRange.headers().firstValue("Content-Range")).contains("bytes 0-9/300000");
        var headOfNothing = RAW.send(HttpRequest.newBuilder(URI.create(http.base() + "/v1/instances/"
                        + instance.id() + "/media/3EB0AA0000000000FFFF")).method("HEAD",
                        HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + instance.token())
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(headOfNothing.statusCode()).isEqualTo(404);

        // a client that accepts gzip still gets the bytes as stored, with their length
        var text = "a long, very compressible document ".repeat(1000).getBytes(StandardCharsets.UTF_8);
        store(instance, "3EB0AA00000000000003", text, "text/plain", Optional.empty());
        var plain = RAW.send(HttpRequest.newBuilder(URI.create(http.base() + "/v1/instances/" + instance.id()
                + "/media/3EB0AA00000000000003")).header("Authorization", "Bearer " + instance.token())
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(plain.body()).isEqualTo(text);
        // what is not a picture, video or sound is a download, never sniffed into something that runs
        assertThat(plain.headers().firstValue("Content-Disposition")).contains("attachment");
        assertThat(plain.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        store(instance, "3EB0AA00000000000004", "<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8),
                "text/html", Optional.of("x.html"));
        var html = get(instance, "3EB0AA00000000000004", instance.token(), null);
        assertThat(html.headers().firstValue("Content-Disposition")).contains("attachment; filename*=UTF-8''x.html");
        assertThat(html.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                csp -> assertThat(csp).contains("sandbox"));

        var several = get(instance, "3EB0AA00000000000001", instance.token(), "bytes=0-1,5-6");
        assertThat(several.statusCode()).isEqualTo(200);
        assertThat(several.body()).isEqualTo(bytes);
    }

    @Test
    void anotherTenantOrAnotherInstanceSeesNothing() throws Exception {
        var instance = gateway.newInstance(tenant, "media-private");
        var sibling = gateway.newInstance(tenant, "media-sibling");
        store(instance, "3EB0AA00000000000002", random(100), "image/png", Optional.empty());
        var other = gateway.newTenant("media-other");

        assertThat(get(instance, "3EB0AA00000000000002", other.token(), null).statusCode()).isEqualTo(404);
        assertThat(get(instance, "3EB0AA00000000000002", sibling.token(), null).statusCode()).isEqualTo(404);
        assertEnvelope(http.get("/v1/instances/" + instance.id() + "/media/3EB0AA00000000000002", other.token()),
                404, "NOT_FOUND");
        assertEnvelope(http.get("/v1/instances/" + instance.id() + "/media/3EB0AA0000000000FFFF", tenant.token()),
                404, "NOT_FOUND");
        assertEnvelope(http.get("/v1/instances/" + instance.id() + "/media/3EB0AA00000000000002", null),
                401, "UNAUTHORIZED");
    }

    @Test
    void withS3TheFileGoesToTheBucketUnderTheDocumentedKeyAndIsServedFromThere() throws Exception {
        var instance = gateway.newInstance(tenant, "media-s3");
        var config = http.put("/v1/instances/media-s3/s3", tenant.token(), "{\"bucket\":\"media-bucket\","
                + "\"access_key_id\":\"" + ACCESS_KEY + "\",\"secret_access_key\":\"" + SECRET_KEY
                + "\",\"endpoint\":\"" + S3.endpoint() + "\",\"prefix\":\"ponte/\"}");
        assertThat(config.json().at("/s3/status").asText()).as(config.toString()).isEqualTo("ok");
        var bytes = random(250_000);
        var at = Instant.parse("2026-03-05T10:00:00Z");
        var stored = gateway.gateway().useCases().media().store(UUID.fromString(tenant.id()),
                UUID.fromString(instance.id()), new MessageId("3EB0BB00000000000001"), at,
                Files.write(dir.resolve("v.mp4"), bytes), "video/mp4", Optional.empty());

        var key = "ponte/" + instance.id() + "/2026/03/3EB0BB00000000000001.mp4";
        assertThat(stored.url()).isEqualTo(S3.endpoint() + "/media-bucket/" + key);
        var object = S3.request("GET", "/media-bucket/" + key);
        assertThat(object.statusCode()).isEqualTo(200);
        assertThat(object.body()).isEqualTo(bytes);
        assertThat(object.headers().firstValue("Content-Type")).contains("video/mp4");

        var served = get(instance, "3EB0BB00000000000001", instance.token(), null);
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.body()).isEqualTo(bytes);
        assertThat(served.headers().firstValue("Content-Type")).contains("video/mp4");
        var range = get(instance, "3EB0BB00000000000001", instance.token(), "bytes=100-199");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 100, 200));
    }

    @Test
    void deletingAnInstanceRemovesItsFilesFromTheLocalStoreAndFromS3() throws Exception {
        var local = gateway.newInstance(tenant, "media-gone-local");
        store(local, "3EB0CC00000000000001", random(1000), "image/jpeg", Optional.empty());
        var localFiles = DATA.resolve("media").resolve(local.id());
        try (var files = Files.walk(localFiles)) {
            assertThat(files.filter(Files::isRegularFile)).hasSize(1);
        }
        var remote = gateway.newInstance(tenant, "media-gone-s3");
        var config = http.put("/v1/instances/media-gone-s3/s3", tenant.token(), "{\"bucket\":\"media-bucket\","
                + "\"access_key_id\":\"" + ACCESS_KEY + "\",\"secret_access_key\":\"" + SECRET_KEY
                + "\",\"endpoint\":\"" + S3.endpoint() + "\",\"prefix\":\"gone/\"}");
        assertThat(config.json().at("/s3/status").asText()).as(config.toString()).isEqualTo("ok");
        var at = Instant.parse("2026-03-05T10:00:00Z");
        gateway.gateway().useCases().media().store(UUID.fromString(tenant.id()), UUID.fromString(remote.id()),
                new MessageId("3EB0CC00000000000002"), at, Files.write(dir.resolve("r.bin"), random(500)),
                "video/mp4", Optional.empty());
        var key = "/media-bucket/gone/" + remote.id() + "/2026/03/3EB0CC00000000000002.mp4";
        assertThat(S3.request("GET", key).statusCode()).isEqualTo(200);

        assertThat(http.delete("/v1/instances/" + local.id(), tenant.token()).status()).isIn(200, 202, 204);
        assertThat(http.delete("/v1/instances/" + remote.id(), tenant.token()).status()).isIn(200, 202, 204);

        try (var files = Files.walk(localFiles)) {
            assertThat(files.filter(Files::isRegularFile)).as("the local store keeps nothing of it").isEmpty();
        }
        assertThat(S3.request("GET", key).statusCode()).as("nor does its bucket").isEqualTo(404);
    }

    @Test
    void aWebhookWithMediaBase64GetsTheFileInTheEventSignedAndOneWithoutDoesNot() throws Exception {
        var instance = gateway.newInstance(tenant, "media-hooks");
        var small = random(2_000);
        var large = random((int) BASE64_MAX + 1);
        store(instance, "3EB0CC00000000000001", small, "image/jpeg", Optional.empty());
        store(instance, "3EB0CC00000000000002", large, "image/jpeg", Optional.empty());
        try (var receiver = Receiver.start()) {
            var withMedia = http.post(path(instance, "/webhooks"), tenant.token(), """
                    {"label":"media","url":"%s","media_base64":true}""".formatted(receiver.url("/with")));
            http.post(path(instance, "/webhooks"), tenant.token(), """
                    {"label":"plain","url":"%s"}""".formatted(receiver.url("/without")));
            var secret = withMedia.json().at("/webhook/secret").asText();

            mediaEvent(instance, "3EB0CC00000000000001");
            mediaEvent(instance, "3EB0CC00000000000002");
            mediaEvent(instance, "3EB0CC0000000000FFFF"); // a message whose file was never stored

            var with = receiver.await(3, r -> r.path().equals("/with"), WAIT);
            var without = receiver.await(3, r -> r.path().equals("/without"), WAIT);
            var byId = new LinkedHashMap<String, Receiver.Request>();
            with.forEach(r -> byId.put(r.json().at("/data/message/id").asText(), r));
            var first = byId.get("3EB0CC00000000000001");
            assertThat(Base64.getDecoder().decode(first.json().at("/data/message/media/base64").asText()))
                    .isEqualTo(small);
            assertThat(first.json().at("/data/message/media/url").asText()).endsWith("/media/3EB0CC00000000000001");
            assertThat(Events.signatureValid(first.header("X-Ponte-Signature"), secret, first.body())).isTrue();
            var second = byId.get("3EB0CC00000000000002").json().at("/data/message/media");
            assertThat(second.has("base64")).isFalse();
            assertThat(second.get("base64_omitted").asText()).isEqualTo("too_large");
            assertThat(second.get("url").asText()).endsWith("/media/3EB0CC00000000000002");
            assertThat(byId.get("3EB0CC0000000000FFFF").json().at("/data/message/media/base64_omitted").asText())
                    .isEqualTo("unavailable");
            for (var request : without) {
                assertThat(request.json().at("/data/message/media").has("base64")).isFalse();
                assertThat(request.json().at("/data/message/media").has("base64_omitted")).isFalse();
            }
            // the stored event stays small: the log's payload has no base64
            var deliveries = http.get("/v1/webhook-deliveries?instance=" + instance.id(), tenant.token());
            assertThat(deliveries.body()).doesNotContain(Base64.getEncoder().encodeToString(small));
        }
    }

    @Test
    void aWebSocketClientWithMediaBase64GetsTheFileInTheFrame() throws Exception {
        var instance = gateway.newInstance(tenant, "media-ws");
        var bytes = random(3_000);
        store(instance, "3EB0DD00000000000001", bytes, "audio/ogg; codecs=opus", Optional.empty());
        http.put(path(instance, "/websocket"), tenant.token(), "{\"enabled\":true,\"media_base64\":true}");
        var url = http.base().replace("http://", "ws://") + "/v1/instances/" + instance.id() + "/ws?token="
                + instance.token();
        try (var client = WsClient.connect(url, false)) {
            Thread.sleep(200);
            mediaEvent(instance, "3EB0DD00000000000001");
            var frame = JSON.readTree(client.awaitFrames(1, WAIT).getFirst());
            assertThat(frame.at("/data/message/id").asText()).isEqualTo("3EB0DD00000000000001");
            assertThat(Base64.getDecoder().decode(frame.at("/data/message/media/base64").asText())).isEqualTo(bytes);
        }
        http.put(path(instance, "/websocket"), tenant.token(), "{\"media_base64\":false}");
        try (var client = WsClient.connect(url, false)) {
            Thread.sleep(200);
            mediaEvent(instance, "3EB0DD00000000000001");
            var frame = JSON.readTree(client.awaitFrames(1, WAIT).getFirst());
            assertThat(frame.at("/data/message/media").has("base64")).isFalse();
        }
    }

    @Test
    void theMediaTableRowIsReplacedWhenAMessageIsStoredAgain() throws Exception {
        var instance = gateway.newInstance(tenant, "media-again");
        store(instance, "3EB0EE00000000000001", random(10), "image/png", Optional.empty());
        var second = random(20);
        store(instance, "3EB0EE00000000000001", second, "image/jpeg", Optional.empty());
        var served = get(instance, "3EB0EE00000000000001", tenant.token(), null);
        assertThat(served.body()).isEqualTo(second);
        assertThat(served.headers().firstValue("Content-Type")).contains("image/jpeg");
        assertThatThrownBy(() -> gateway.gateway().useCases().media().open(
                gateway.gateway().useCases().authenticate().authenticate(tenant.token()), instance.id(),
                "3EB0EE0000000000FFFF", Optional.empty())).hasMessageContaining("no media stored");
    }

    @Test
    void byDefaultMediaUrlsAndLinkPreviewsNeverReachLoopback() {
        try (var pages = new Pages();
             var strict = GatewayFixture.start(Map.of("PONTE_EGRESS_ALLOW_PRIVATE", "false"))) {
            pages.put("/a.png", "image/png", new byte[] {1, 2, 3});
            pages.put("/page", "text/html", "<title>private</title>".getBytes(StandardCharsets.UTF_8));
            var useCases = strict.gateway().useCases();
            assertThatThrownBy(() -> useCases.mediaIntake().accept(new ponte.application.port.in.MediaIntakeUseCase
                    .MediaSource("image", pages.url("/a.png"), null, null, null, false)))
                    .isInstanceOf(ponte.domain.validation.ValidationException.class)
                    .hasMessageContaining("loopback or private-network")
                    .hasMessageContaining("PONTE_EGRESS_ALLOW_PRIVATE=true");
            assertThatThrownBy(() -> useCases.mediaIntake().accept(new ponte.application.port.in.MediaIntakeUseCase
                    .MediaSource("image", "http://169.254.169.254/latest", null, null, null, false)))
                    .isInstanceOf(ponte.domain.validation.ValidationException.class);
            assertThat(useCases.linkPreviews().preview("see " + pages.url("/page"))).isEmpty();
        }
    }

    private void mediaEvent(GatewayFixture.Instance instance, String messageId) {
        var media = new LinkedHashMap<String, Object>();
        media.put("mime_type", "image/jpeg");
        media.put("url", http.base() + "/v1/instances/" + instance.id() + "/media/" + messageId);
        var message = new LinkedHashMap<String, Object>();
        message.put("id", messageId);
        message.put("type", "image");
        message.put("media", media);
        Events.ingest(gateway, tenant, instance, EventType.MESSAGE_EXCHANGE,
                Map.of("type", "received", "message", message));
    }

    private MediaUseCase.StoredMedia store(GatewayFixture.Instance instance, String id, byte[] bytes, String mime,
                                           Optional<String> fileName) throws Exception {
        var file = Files.write(dir.resolve(id + ".bin"), bytes);
        return gateway.gateway().useCases().media().store(UUID.fromString(tenant.id()), UUID.fromString(instance.id()),
                new MessageId(id), Instant.now(), file, mime, fileName);
    }

    /** A raw GET: the body as bytes, checked against /openapi.json like every answer the tests see. */
    private static HttpResponse<byte[]> get(GatewayFixture.Instance instance, String messageId, String token,
                                            String range) throws Exception {
        var path = "/v1/instances/" + instance.id() + "/media/" + messageId;
        var request = HttpRequest.newBuilder(URI.create(http.base() + path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (range != null) {
            request.header("Range", range);
        }
        var response = RAW.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        var json = response.headers().firstValue("Content-Type").orElse("").startsWith("application/json");
        OpenApiContract.of(http.base()).check("GET", path, new Http.Response(response.statusCode(),
                response.headers().map(), json ? new String(response.body(), StandardCharsets.UTF_8) : ""));
        return response;
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("ponte-media-e2e-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] random(int size) {
        var bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static String path(GatewayFixture.Instance instance, String rest) {
        return "/v1/instances/" + instance.id() + rest;
    }


}
