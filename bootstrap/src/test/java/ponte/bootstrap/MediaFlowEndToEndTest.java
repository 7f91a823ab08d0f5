package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Media end to end through the API (issue 11), with nothing simulated but WhatsApp itself: a real gateway whose
 * instances are linked to sandbox phones, the sandbox's HTTPS media host, a real webhook receiver, a real web server
 * for sends by URL and a real S3-compatible server (s3proxy). Each media type goes out from
 * {@code POST /v1/instances/{id}/messages/{type}} (base64 and url) and arrives byte-identical at a phone, which
 * downloads and checks it with its own reader; each comes in from a phone, is stored, announced with its
 * {@code media} fields and served byte-identical at its media URL, locally or from the bucket. An expired file is
 * recovered by a media-retry request both ways: the instance asks the phone, and the phone asks the instance, which
 * uploads again from its media store (the upload's own file is a temporary one, long gone).
 */
class MediaFlowEndToEndTest {
    private static final String ADMIN = GatewayFixture.ADMIN_TOKEN;
    private static final Duration PATIENCE = Duration.ofSeconds(40);
    private static final String CARLA = "5511987654101";
    private static final String DAVI = "5511987654102";
    private static final String ELISA = "5511987654103";
    private static final String ACCESS_KEY = "flow-access";
    private static final String SECRET_KEY = "flow-secret-7a21c";
    private static final S3Server S3 = S3Server.onDisk(ACCESS_KEY, SECRET_KEY);
    private static final HttpClient RAW = HttpClient.newHttpClient();

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass(Map.of("PONTE_WHATSAPP", "sandbox",
            "PONTE_SANDBOX_PORT", "0", "PONTE_WEBHOOK_POLL_MS", "50", "PONTE_MEDIA_ALLOW_PRIVATE_URLS", "true"));
    private static Http http;
    private static Receiver receiver;
    private static Pages pages;
    private static GatewayFixture.Tenant tenant;
    private static GatewayFixture.Instance shop;
    private static GatewayFixture.Instance bucketShop;
    private static String base;

    /** One file per media type, with the send's extra fields and the MIME type the gateway detects. */
    record Sample(String type, byte[] bytes, String extra, String mime, String phoneType) {}

    @BeforeAll
    static void linkTheShops() throws Exception {
        S3.start();
        S3.request("PUT", "/flow-bucket");
        http = gateway.http();
        receiver = Receiver.start();
        pages = new Pages();
        tenant = gateway.newTenant("media-flow");
        for (var phone : new String[][] {{CARLA, "Carla"}, {DAVI, "Davi"}, {ELISA, "Elisa"}}) {
            var created = http.post("/v1/sandbox/phones", ADMIN,
                    "{\"phone_number\": \"" + phone[0] + "\", \"push_name\": \"" + phone[1] + "\"}");
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
        }
        shop = gateway.newInstance(tenant, "flow-shop");
        bucketShop = gateway.newInstance(tenant, "flow-bucket-shop");
        base = "/v1/instances/" + shop.id();
        for (var instance : List.of(shop, bucketShop)) {
            var hook = http.post("/v1/instances/" + instance.id() + "/webhooks", tenant.token(), "{\"label\":\"flow\","
                    + "\"url\":\"" + receiver.url("/" + instance.id()) + "\","
                    + "\"events\":[\"message.exchange\",\"message.status\"]}");
            assertThat(hook.status()).as(hook.toString()).isEqualTo(201);
        }
        var config = http.put("/v1/instances/" + bucketShop.id() + "/s3", tenant.token(), "{\"bucket\":"
                + "\"flow-bucket\",\"access_key_id\":\"" + ACCESS_KEY + "\",\"secret_access_key\":\"" + SECRET_KEY
                + "\",\"endpoint\":\"" + S3.endpoint() + "\",\"prefix\":\"flow/\"}");
        assertThat(config.json().at("/s3/status").asText()).as(config.toString()).isEqualTo("ok");
        link(shop, CARLA);
        link(bucketShop, ELISA);
    }

    @AfterAll
    static void stop() {
        receiver.close();
        pages.close();
        S3.stop();
    }

    static List<Sample> samples() throws Exception {
        return List.of(
                new Sample("image", MediaIntakeTest.picture("png", 64, 48), ",\"caption\":\"vitrine\"", "image/png",
                        "image"),
                new Sample("video", mp4(), ",\"caption\":\"tour\"", "video/mp4", "video"),
                new Sample("audio", MediaIntakeTest.ogg("OpusHead"), ",\"ptt\":true", "audio/ogg; codecs=opus",
                        "ptt"),
                new Sample("document", MediaIntakeTest.pdf(), ",\"file_name\":\"menu.pdf\"", "application/pdf",
                        "document"),
                new Sample("sticker", MediaIntakeTest.webp(), "", "image/webp", "sticker"));
    }

    @Test
    void eachTypeSentByBase64OrUrlArrivesByteIdenticalAtThePhoneAndIsDelivered() throws Exception {
        var sent = new ArrayList<String>();
        for (var sample : samples()) {
            pages.put("/" + sample.type(), "application/octet-stream", sample.bytes());
            for (var source : List.of("\"base64\":\"" + b64(sample.bytes()) + "\"",
                    "\"url\":\"" + pages.url("/" + sample.type()) + "\"")) {
                var send = http.post(base + "/messages/" + sample.type(), tenant.token(),
                        "{\"to\":\"+" + DAVI + "\"," + source + sample.extra() + "}");
                assertThat(send.status()).as(send.toString()).isEqualTo(202);
                String id = send.json().at("/message/id").asText();
                assertThat(http.get(base + "/messages/" + id, tenant.token()).json().at("/message/media/mime_type")
                        .asText()).as(sample.type()).isEqualTo(sample.mime());
                sent.add(id);
                var arrived = awaitInbox(DAVI, m -> m.get("id").asText().equals(id));
                assertThat(arrived.get("type").asText()).as(sample.type()).isEqualTo(sample.type());
                assertThat(phoneFile(DAVI, id)).as(sample.type() + " " + source.substring(0, 6))
                        .isEqualTo(sample.bytes());
            }
        }
        for (var id : sent) {
            awaitStatus(shop, id, "delivered");
            assertThat(statuses(shop, id)).as(id).contains("sent", "delivered");
        }
    }

    @Test
    void eachTypeAPhoneSendsIsAnnouncedWithItsFileStoredAndServedByteIdentical() throws Exception {
        for (var sample : samples()) {
            String id = phoneSendsFile(DAVI, CARLA, sample);
            var media = awaitReceived(shop, id).at("/data/message/media");
            assertThat(media.get("mime_type").asText()).as(sample.type()).isEqualTo(sample.mime());
            assertThat(media.get("size").asLong()).isEqualTo(sample.bytes().length);
            assertThat(media.get("sha256").asText()).isEqualTo(sha256(sample.bytes()));
            assertThat(media.get("url").asText()).endsWith(base + "/media/" + id);
            assertThat(media.has("error")).isFalse();
            var served = download(shop, id);
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(served.body()).as(sample.type()).isEqualTo(sample.bytes());
            assertThat(served.headers().firstValue("Content-Type").orElse("")).startsWith(
                    sample.mime().split(";")[0]);
        }
    }

    @Test
    void withS3TheReceivedFileIsTheBucketsObjectByteForByte() throws Exception {
        for (var sample : samples()) {
            String id = phoneSendsFile(DAVI, ELISA, sample);
            var media = awaitReceived(bucketShop, id).at("/data/message/media");
            String url = media.get("url").asText();
            assertThat(url).as(sample.type()).startsWith(S3.endpoint() + "/flow-bucket/flow/" + bucketShop.id() + "/")
                    .contains(id);
            assertThat(media.get("sha256").asText()).isEqualTo(sha256(sample.bytes()));
            var object = S3.request("GET", url.substring(S3.endpoint().length()));
            assertThat(object.statusCode()).isEqualTo(200);
            assertThat(object.body()).as(sample.type()).isEqualTo(sample.bytes());
            assertThat(download(bucketShop, id).body()).isEqualTo(sample.bytes());
        }
    }

    @Test
    void aFileThePhoneSentThatExpiredBeforeTheInstanceFetchedItIsUploadedAgainByThePhone() throws Exception {
        for (var sample : List.of(samples().get(0), samples().get(2))) {
            // the host drops the file before the message goes out: the instance's first download gets 410
            String id = phoneSendsFile(DAVI, CARLA, sample, true);
            var media = awaitReceived(shop, id).at("/data/message/media");
            assertThat(media.has("error")).as(media.toString()).isFalse();
            assertThat(media.get("sha256").asText()).isEqualTo(sha256(sample.bytes()));
            assertThat(download(shop, id).body()).as(sample.type()).isEqualTo(sample.bytes());
        }
    }

    @Test
    void aFileTheInstanceSentThatExpiredIsUploadedAgainFromTheMediaStoreWhenThePhoneAsks() throws Exception {
        for (var sample : List.of(samples().get(0), samples().get(3))) {
            var send = http.post(base + "/messages/" + sample.type(), tenant.token(),
                    "{\"to\":\"" + DAVI + "\",\"base64\":\"" + b64(sample.bytes()) + "\"" + sample.extra() + "}");
            assertThat(send.status()).as(send.toString()).isEqualTo(202);
            String id = send.json().at("/message/id").asText();
            awaitInbox(DAVI, m -> m.get("id").asText().equals(id));
            awaitStatus(shop, id, "delivered");
            // every file Carla's account uploaded (her phone and the instance, her companion) expires on the host
            var expired = http.post("/v1/sandbox/media/expire", ADMIN, "{\"phone\":\"" + CARLA + "\"}");
            assertThat(expired.json().get("expired").asInt()).as(expired.toString()).isPositive();
            assertThat(phoneFile(DAVI, id)).as(sample.type()).isEqualTo(sample.bytes());
        }
    }

    private static String phoneSendsFile(String from, String to, Sample sample) {
        return phoneSendsFile(from, to, sample, false);
    }

    private static String phoneSendsFile(String from, String to, Sample sample, boolean expired) {
        var sent = http.post("/v1/sandbox/phones/" + from + "/media", ADMIN, "{\"to\":\"" + to + "\",\"type\":\""
                + sample.phoneType() + "\",\"mime_type\":\"" + sample.mime() + "\",\"base64\":\""
                + b64(sample.bytes()) + "\"" + (sample.type().equals("document") ? ",\"file_name\":\"menu.pdf\"" : "")
                + ",\"expired\":" + expired + "}");
        assertThat(sent.status()).as(sent.toString()).isEqualTo(200);
        return sent.json().at("/message/id").asText();
    }

    /** The file as the phone downloads and checks it: {@code GET /v1/sandbox/phones/{phone}/media/{id}}. */
    private static byte[] phoneFile(String phone, String id) throws Exception {
        var response = RAW.send(HttpRequest.newBuilder(URI.create(http.base() + "/v1/sandbox/phones/" + phone
                + "/media/" + id)).header("Authorization", "Bearer " + ADMIN).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        return response.body();
    }

    private static HttpResponse<byte[]> download(GatewayFixture.Instance instance, String id) throws Exception {
        return RAW.send(HttpRequest.newBuilder(URI.create(http.base() + "/v1/instances/" + instance.id() + "/media/"
                + id)).header("Authorization", "Bearer " + instance.token()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode awaitReceived(GatewayFixture.Instance instance, String id) {
        Predicate<Receiver.Request> wanted = r -> r.path().equals("/" + instance.id())
                && r.json().get("event").asText().equals("message.exchange")
                && r.json().at("/data/message/id").asText().equals(id);
        return receiver.await(1, wanted, PATIENCE).getFirst().json();
    }

    private static List<String> statuses(GatewayFixture.Instance instance, String id) {
        return receiver.requests().stream().filter(r -> r.path().equals("/" + instance.id())).map(r -> r.json())
                .filter(e -> e.get("event").asText().equals("message.status")
                        && e.at("/data/message_id").asText().equals(id))
                .map(e -> e.at("/data/status").asText()).toList();
    }

    private static void awaitStatus(GatewayFixture.Instance instance, String id, String status)
            throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!statuses(instance, id).contains(status)) {
            assertThat(System.nanoTime()).as(id + " never " + status + ": " + statuses(instance, id))
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static JsonNode awaitInbox(String number, Predicate<JsonNode> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            for (var message : http.get("/v1/sandbox/phones/" + number + "/messages", ADMIN).json().get("messages")) {
                if (wanted.test(message)) {
                    return message;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("nothing matching at " + number + " within " + PATIENCE);
    }

    private static void link(GatewayFixture.Instance instance, String phone) throws InterruptedException {
        var raw = http.post("/v1/instances/" + instance.id() + "/connect", tenant.token(), null).json()
                .at("/qr/raw").asText();
        var scan = http.post("/v1/sandbox/phones/" + phone + "/scan", ADMIN, "{\"qr\":\"" + raw + "\"}");
        assertThat(scan.status()).as(scan.toString()).isEqualTo(200);
        awaitInstance(instance, "connected");
    }

    private static void awaitInstance(GatewayFixture.Instance instance, String status) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!http.get("/v1/instances/" + instance.id(), tenant.token()).json().at("/instance/status").asText()
                .equals(status)) {
            assertThat(System.nanoTime()).as(instance.name() + " never " + status).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** A small MP4: an {@code ftyp} box (brand isom) and some {@code mdat} bytes. */
    static byte[] mp4() {
        var out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0, 0, 0, 0x18});
        out.writeBytes("ftypmp42".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[] {0, 0, 2, 0});
        out.writeBytes("mp42isom".getBytes(StandardCharsets.US_ASCII));
        var payload = new byte[40_000];
        new Random(7).nextBytes(payload);
        out.writeBytes(new byte[] {0, 0, (byte) 0x9c, 0x48});
        out.writeBytes("mdat".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }


}
