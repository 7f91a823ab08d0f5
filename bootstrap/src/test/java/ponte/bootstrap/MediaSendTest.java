package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static ponte.bootstrap.ErrorEnvelopeTest.assertEnvelope;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Media sends through the HTTP API of a gateway whose instance is linked to a sandbox phone: the intake runs before
 * anything is queued (each bad file a 400 in the envelope, nothing queued), an accepted file is kept in the media
 * store under the message's id (so a queued send survives a restart with its file) and served at its media URL, and
 * the message object describes it. The upload itself is the wire's (mediawire); this branch's engine does not speak
 * it yet, so the send's outcome is not asserted here.
 */
class MediaSendTest {
    private static final String ADMIN = GatewayFixture.ADMIN_TOKEN;
    private static final String ANA = "5511987653001";
    private static final String BRUNO = "5511987653002";

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass(Map.of("PONTE_WHATSAPP", "sandbox",
            "PONTE_SANDBOX_PORT", "0"));
    private static Http http;
    private static GatewayFixture.Tenant tenant;
    private static GatewayFixture.Instance shop;
    private static String base;

    @BeforeAll
    static void linkTheShop() throws Exception {
        http = gateway.http();
        tenant = gateway.newTenant("media-send");
        for (var phone : new String[][] {{ANA, "Ana"}, {BRUNO, "Bruno"}}) {
            var created = http.post("/v1/sandbox/phones", ADMIN,
                    "{\"phone_number\": \"" + phone[0] + "\", \"push_name\": \"" + phone[1] + "\"}");
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
        }
        shop = gateway.newInstance(tenant, "media-shop");
        base = "/v1/instances/" + shop.id();
        var raw = http.post(base + "/connect", tenant.token(), null).json().at("/qr/raw").asText();
        var scan = http.post("/v1/sandbox/phones/" + ANA + "/scan", ADMIN, "{\"qr\":\"" + raw + "\"}");
        assertThat(scan.status()).as(scan.toString()).isEqualTo(200);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!http.get(base, tenant.token()).json().at("/instance/status").asText().equals("connected")) {
            assertThat(System.nanoTime()).as("the instance connects").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void anAcceptedImageIsKeptUnderItsMessageIdAndDescribedFromItsBytes() throws Exception {
        var png = MediaIntakeTest.picture("png", 320, 200);
        var send = http.post(base + "/messages/image", tenant.token(), """
                {"to":"+%s","base64":"%s","caption":"our new shop","file_name":"shop.jpg"}"""
                .formatted(BRUNO, Base64.getEncoder().encodeToString(png)));
        assertThat(send.status()).as(send.toString()).isEqualTo(202);
        var id = send.json().at("/message/id").asText();
        assertThat(send.json().at("/message/type").asText()).isEqualTo("image");

        var message = http.get(base + "/messages/" + id, tenant.token()).json().get("message");
        assertThat(message.at("/caption").asText()).isEqualTo("our new shop");
        var media = message.get("media");
        assertThat(media.get("mime_type").asText()).isEqualTo("image/png");
        assertThat(media.get("size").asLong()).isEqualTo(png.length);
        assertThat(media.get("width").asInt()).isEqualTo(320);
        assertThat(media.get("height").asInt()).isEqualTo(200);
        assertThat(media.get("sha256").asText()).hasSize(64);
        assertThat(media.get("url").asText()).endsWith(base + "/media/" + id);

        var served = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(http.base() + base
                        + "/media/" + id)).header("Authorization", "Bearer " + shop.token()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.body()).isEqualTo(png);
        assertThat(served.headers().firstValue("Content-Type")).contains("image/png");
    }

    @Test
    void aMediaSendRetriedWithItsIdempotencyKeyIsTheSameMessageAndAnotherUnderTheKeyIsA409() throws Exception {
        var png = Base64.getEncoder().encodeToString(MediaIntakeTest.picture("png", 64, 64));
        var body = """
                {"to":"+%s","base64":"%s","caption":"%s","idempotency_key":"media-once-1"}""";
        var first = http.post(base + "/messages/image", tenant.token(), body.formatted(BRUNO, png, "once"));
        assertThat(first.status()).as(first.toString()).isEqualTo(202);
        var again = http.post(base + "/messages/image", tenant.token(), body.formatted(BRUNO, png, "once"));
        assertThat(again.status()).as(again.toString()).isEqualTo(202);
        assertThat(again.json().at("/message/id").asText()).isEqualTo(first.json().at("/message/id").asText());
        var other = http.post(base + "/messages/image", tenant.token(), body.formatted(BRUNO, png, "another"));
        assertThat(other.status()).as(other.toString()).isEqualTo(409);
    }

    @Test
    void eachBadFileIsA400AndNothingIsQueued() throws Exception {
        var chat = base + "/chats/" + BRUNO + "@s.whatsapp.net/messages";
        int before = http.get(chat, tenant.token()).json().get("data").size();
        var png = Base64.getEncoder().encodeToString(MediaIntakeTest.picture("png", 8, 8));
        var mp3 = Base64.getEncoder().encodeToString(MediaIntakeTest.mp3());
        var pdf = Base64.getEncoder().encodeToString(MediaIntakeTest.pdf());
        var refusals = Map.of(
                "sticker", "{\"to\":\"+" + BRUNO + "\",\"base64\":\"" + png + "\"}",
                "audio", "{\"to\":\"+" + BRUNO + "\",\"base64\":\"" + mp3 + "\",\"ptt\":true}",
                "image", "{\"to\":\"+" + BRUNO + "\",\"base64\":\"" + pdf + "\"}",
                "video", "{\"to\":\"+" + BRUNO + "\",\"url\":\"http://127.0.0.1:9/x.mp4\"}",
                "document", "{\"to\":\"+" + BRUNO + "\",\"base64\":\"@@@@\"}");
        for (var refusal : refusals.entrySet()) {
            var response = http.post(base + "/messages/" + refusal.getKey(), tenant.token(), refusal.getValue());
            assertEnvelope(response, 400, "VALIDATION_ERROR");
            assertThat(response.json().get("details")).as(refusal.getKey()).isNotEmpty();
        }
        Thread.sleep(Duration.ofMillis(300));
        assertThat(http.get(chat, tenant.token()).json().get("data").size()).isEqualTo(before);
    }
}
