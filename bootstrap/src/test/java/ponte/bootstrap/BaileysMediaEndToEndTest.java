package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's done-when through the gateway's own API and webhook, with an unmodified Baileys as the peer: each media
 * type sent from {@code POST /v1/instances/{id}/messages/{type}} is opened by Baileys with its own code,
 * byte-identical, with the fields it reads; each type Baileys sends with its own upload is announced on the webhook
 * with its {@code media} fields and served byte-identical at the media URL. Baileys trusts the sandbox's media host
 * through {@code media_root_pem} of {@code GET /v1/sandbox/info}, verification on.
 */
class BaileysMediaEndToEndTest {
    private static final String ADMIN = GatewayFixture.ADMIN_TOKEN;
    private static final Duration PATIENCE = Duration.ofSeconds(40);
    private static final String SHOP = "5511987654301";
    private static final String BAILEYS = "5511987654302";
    private static final HttpClient RAW = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass(Map.of("PONTE_WHATSAPP", "sandbox",
            "PONTE_SANDBOX_PORT", "0", "PONTE_WEBHOOK_POLL_MS", "50"));
    private static Http http;
    private static Receiver receiver;
    private static GatewayFixture.Tenant tenant;
    private static GatewayFixture.Instance shop;
    private static String base;
    private static BaileysProcess baileys;
    private static String session;
    private static String caPem;

    @TempDir
    Path dir;

    @BeforeAll
    static void linkTheShopAndBaileys() throws Exception {
        http = gateway.http();
        receiver = Receiver.start();
        tenant = gateway.newTenant("baileys-media");
        for (var phone : new String[][] {{SHOP, "Loja"}, {BAILEYS, "Bruno"}}) {
            var created = http.post("/v1/sandbox/phones", ADMIN,
                    "{\"phone_number\": \"" + phone[0] + "\", \"push_name\": \"" + phone[1] + "\"}");
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
        }
        shop = gateway.newInstance(tenant, "baileys-media-shop");
        base = "/v1/instances/" + shop.id();
        var hook = http.post(base + "/webhooks", tenant.token(), "{\"label\":\"media\",\"url\":\""
                + receiver.url("/hook") + "\",\"events\":[\"message.exchange\"]}");
        assertThat(hook.status()).as(hook.toString()).isEqualTo(201);
        var raw = http.post(base + "/connect", tenant.token(), null).json().at("/qr/raw").asText();
        var scan = http.post("/v1/sandbox/phones/" + SHOP + "/scan", ADMIN, "{\"qr\":\"" + raw + "\"}");
        assertThat(scan.status()).as(scan.toString()).isEqualTo(200);
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!http.get(base, shop.token()).json().at("/instance/status").asText().equals("connected")) {
            assertThat(System.nanoTime()).as("the shop never connected").isLessThan(deadline);
            Thread.sleep(100);
        }
        caPem = http.get("/v1/sandbox/info", ADMIN).json().at("/sandbox/media_root_pem").asText();
        assertThat(caPem).startsWith("-----BEGIN CERTIFICATE-----");
        baileys = BaileysProcess.start();
        session = baileys.link(http, ADMIN, BAILEYS);
        baileys.call(BaileysProcess.request("baileysWatchMedia").put("id", session));
    }

    @AfterAll
    static void stop() throws Exception {
        if (baileys != null) {
            baileys.call(BaileysProcess.request("baileysEnd").put("id", session));
            baileys.close();
        }
        receiver.close();
    }

    /** A send through the API: its route, extra fields, and what Baileys must read. */
    record Sent(String type, byte[] bytes, String extra, String kind, String mimetype, String caption,
                String fileName, boolean ptt, boolean gif, boolean thumbnail, int width, int height) {}

    @Test
    void everyTypeSentThroughTheApiIsOpenedByBaileysByteIdenticalWithItsFields() throws Exception {
        var soft = new SoftAssertions();
        var jpeg = MediaIntakeTest.picture("jpeg", 64, 48);
        var mp4 = MediaFlowEndToEndTest.mp4();
        for (var sent : List.of(
                new Sent("image", jpeg, ",\"caption\":\"vitrine\"", "imageMessage", "image/jpeg", "vitrine", null,
                        false, false, true, 64, 48),
                new Sent("video", mp4, ",\"caption\":\"tour\"", "videoMessage", "video/mp4", "tour", null, false,
                        false, false, 0, 0),
                new Sent("video", mp4, ",\"gif\":true", "videoMessage", "video/mp4", null, null, false, true, false,
                        0, 0),
                new Sent("audio", MediaIntakeTest.mp3(), ",\"ptt\":false", "audioMessage", "audio/mpeg", null, null,
                        false, false, false, 0, 0),
                new Sent("audio", MediaIntakeTest.ogg("OpusHead"), ",\"ptt\":true", "audioMessage",
                        "audio/ogg; codecs=opus", null, null, true, false, false, 0, 0),
                new Sent("document", MediaIntakeTest.pdf(), ",\"file_name\":\"cardápio.pdf\"", "documentMessage",
                        "application/pdf", null, "cardápio.pdf", false, false, false, 0, 0),
                new Sent("sticker", MediaIntakeTest.webp(), "", "stickerMessage", "image/webp", null, null, false,
                        false, false, 0, 0))) {
            String what = sent.type() + sent.extra();
            var send = http.post(base + "/messages/" + sent.type(), shop.token(), "{\"to\":\"+" + BAILEYS
                    + "\",\"base64\":\"" + Base64.getEncoder().encodeToString(sent.bytes()) + "\"" + sent.extra()
                    + "}");
            assertThat(send.status()).as(send.toString()).isEqualTo(202);
            String id = send.json().at("/message/id").asText();
            Path opened = dir.resolve("opened-" + id);
            // no host: Baileys fetches the body from the url our message carries, trusting media_root_pem
            var received = baileys.call(BaileysProcess.request("baileysReceivedMedia").put("messageId", id)
                    .put("caPem", caPem).put("out", opened.toString()).put("timeoutMs", (int) PATIENCE.toMillis()));
            soft.assertThat(received.path("kind").asText()).as(what).isEqualTo(sent.kind());
            soft.assertThat(received.path("mimetype").asText()).as(what).isEqualTo(sent.mimetype());
            soft.assertThat(received.path("caption").textValue()).as(what + " caption").isEqualTo(sent.caption());
            soft.assertThat(received.path("fileName").textValue()).as(what + " fileName")
                    .isEqualTo(sent.fileName());
            soft.assertThat(received.path("fileLength").asLong()).as(what).isEqualTo(sent.bytes().length);
            soft.assertThat(received.path("ptt").asBoolean()).as(what + " ptt").isEqualTo(sent.ptt());
            soft.assertThat(received.path("gifPlayback").asBoolean()).as(what + " gif").isEqualTo(sent.gif());
            if (sent.thumbnail()) {
                soft.assertThat(received.path("jpegThumbnail").asText()).as(what + " thumbnail").startsWith("ffd8");
                soft.assertThat(received.path("width").asInt()).as(what + " width").isEqualTo(sent.width());
                soft.assertThat(received.path("height").asInt()).as(what + " height").isEqualTo(sent.height());
            }
            soft.assertThat(Files.readAllBytes(opened)).as(what + " bytes").isEqualTo(sent.bytes());
        }
        soft.assertAll();
    }

    @Test
    void everyTypeBaileysSendsIsAnnouncedWithItsFieldsAndServedByteIdentical() throws Exception {
        var soft = new SoftAssertions();
        record FromBaileys(String kind, byte[] bytes, String mimetype, String fields, String caption,
                           String fileName) {}
        for (var sent : List.of(
                new FromBaileys("image", MediaIntakeTest.picture("jpeg", 80, 60), "image/jpeg",
                        "{\"width\":80,\"height\":60}", "do Baileys", null),
                new FromBaileys("video", MediaFlowEndToEndTest.mp4(), "video/mp4",
                        "{\"seconds\":5,\"width\":320,\"height\":240}", "vídeo", null),
                new FromBaileys("video", MediaFlowEndToEndTest.mp4(), "video/mp4",
                        "{\"gifPlayback\":true,\"seconds\":2}", null, null),
                new FromBaileys("audio", MediaIntakeTest.mp3(), "audio/mpeg", "{\"seconds\":9}", null, null),
                new FromBaileys("audio", MediaIntakeTest.ogg("OpusHead"), "audio/ogg; codecs=opus",
                        "{\"ptt\":true,\"seconds\":3,\"waveform\":\"\"}", null, null),
                new FromBaileys("document", MediaIntakeTest.pdf(), "application/pdf", "{}", null, "nota fiscal.pdf"),
                new FromBaileys("sticker", MediaIntakeTest.webp(), "image/webp",
                        "{\"isAnimated\":true,\"width\":512,\"height\":512}", null, null))) {
            Path file = dir.resolve("baileys-" + sent.kind() + "-" + sent.bytes().length);
            Files.write(file, sent.bytes());
            var request = BaileysProcess.request("baileysSendMedia").put("id", session)
                    .put("to", SHOP + "@s.whatsapp.net").put("kind", sent.kind()).put("path", file.toString())
                    .put("mimetype", sent.mimetype()).put("caPem", caPem);
            if (sent.caption() != null) {
                request.put("caption", sent.caption());
            }
            if (sent.fileName() != null) {
                request.put("fileName", sent.fileName());
            }
            request.set("fields", JSON.readTree(sent.fields()));
            String id = baileys.call(request).path("messageId").asText();
            String what = sent.kind() + sent.fields();

            var message = awaitReceived(id).at("/data/message");
            var media = message.path("media");
            var fields = JSON.readTree(sent.fields());
            soft.assertThat(message.path("type").asText()).as(what).isEqualTo(sent.kind());
            soft.assertThat(media.path("mime_type").asText()).as(what).isEqualTo(sent.mimetype());
            soft.assertThat(message.path("caption").textValue()).as(what + " caption").isEqualTo(sent.caption());
            soft.assertThat(media.path("file_name").textValue()).as(what + " file_name")
                    .isEqualTo(sent.fileName());
            soft.assertThat(media.path("size").asLong()).as(what).isEqualTo(sent.bytes().length);
            soft.assertThat(media.path("sha256").asText()).as(what).isEqualTo(HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(sent.bytes())));
            soft.assertThat(media.path("ptt").asBoolean()).as(what + " ptt").isEqualTo(fields.path("ptt")
                    .asBoolean());
            soft.assertThat(media.path("gif").asBoolean()).as(what + " gif").isEqualTo(fields.path("gifPlayback")
                    .asBoolean());
            soft.assertThat(media.path("animated").asBoolean()).as(what + " animated").isEqualTo(
                    fields.path("isAnimated").asBoolean());
            soft.assertThat(media.path("duration_s").asInt()).as(what + " duration_s").isEqualTo(
                    fields.path("seconds").asInt());
            soft.assertThat(media.path("width").asInt()).as(what + " width").isEqualTo(fields.path("width").asInt());
            soft.assertThat(media.path("height").asInt()).as(what + " height").isEqualTo(
                    fields.path("height").asInt());
            soft.assertThat(media.has("error")).as(what + " " + media).isFalse();
            var served = RAW.send(HttpRequest.newBuilder(URI.create(http.base() + base + "/media/" + id))
                    .header("Authorization", "Bearer " + shop.token()).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            soft.assertThat(served.statusCode()).as(what).isEqualTo(200);
            soft.assertThat(served.body()).as(what + " bytes").isEqualTo(sent.bytes());
        }
        soft.assertAll();
    }

    private static JsonNode awaitReceived(String id) {
        Predicate<Receiver.Request> wanted = r -> r.json().get("event").asText().equals("message.exchange")
                && r.json().at("/data/message/id").asText().equals(id);
        return receiver.await(1, wanted, PATIENCE).getFirst().json();
    }
}
