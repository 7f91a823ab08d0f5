package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static ponte.bootstrap.ErrorEnvelopeTest.assertEnvelope;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a media message says of its file besides the bytes, through the whole gateway (API → intake → media store →
 * upload → a sandbox phone): a voice note carries the seconds read from its Ogg/Opus pages and the waveform the
 * caller gave, a PDF its page count, an animated WebP sticker its animation flag; the phone's own reader sees them on
 * the wire, and the API's message shows them.
 */
class MediaDetailsEndToEndTest {
    private static final String ADMIN = GatewayFixture.ADMIN_TOKEN;
    private static final String CAIO = "5511987653101";
    private static final String DORA = "5511987653102";
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass(Map.of("PONTE_WHATSAPP", "sandbox",
            "PONTE_SANDBOX_PORT", "0"));
    private static Http http;
    private static GatewayFixture.Tenant tenant;
    private static String base;

    @BeforeAll
    static void link() throws Exception {
        http = gateway.http();
        tenant = gateway.newTenant("media-details");
        for (var phone : new String[][] {{CAIO, "Caio"}, {DORA, "Dora"}}) {
            var created = http.post("/v1/sandbox/phones", ADMIN,
                    "{\"phone_number\": \"" + phone[0] + "\", \"push_name\": \"" + phone[1] + "\"}");
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
        }
        var shop = gateway.newInstance(tenant, "details-shop");
        base = "/v1/instances/" + shop.id();
        var raw = http.post(base + "/connect", tenant.token(), null).json().at("/qr/raw").asText();
        var scan = http.post("/v1/sandbox/phones/" + CAIO + "/scan", ADMIN, "{\"qr\":\"" + raw + "\"}");
        assertThat(scan.status()).as(scan.toString()).isEqualTo(200);
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!http.get(base, tenant.token()).json().at("/instance/status").asText().equals("connected")) {
            assertThat(System.nanoTime()).as("the instance connects").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void aVoiceNoteCarriesItsSecondsAndTheCallersWaveformAndAPdfItsPages() throws Exception {
        // opusenc's 2.6 s (opusinfo: pre-skip 312, 0m:02.600s) is 3 whole seconds
        var ramp = IntStream.range(0, 64).map(i -> i * 100 / 63).boxed().toList();
        var voice = http.post(base + "/messages/audio", tenant.token(), """
                {"to":"+%s","base64":"%s","waveform":%s}""".formatted(DORA, b64(resource("voice-2.6s.opus")),
                ramp));
        assertThat(voice.status()).as(voice.toString()).isEqualTo(202);
        var pdf = http.post(base + "/messages/document", tenant.token(), """
                {"to":"+%s","base64":"%s","file_name":"pedido-4711.pdf"}""".formatted(DORA,
                b64(resource("three-pages.pdf"))));
        assertThat(pdf.status()).as(pdf.toString()).isEqualTo(202);

        var voiceId = voice.json().at("/message/id").asText();
        var ours = http.get(base + "/messages/" + voiceId, tenant.token()).json().at("/message/media");
        assertThat(ours.get("duration_s").asInt()).isEqualTo(3);
        assertThat(ours.get("ptt").asBoolean()).isTrue();
        assertThat(ints(ours.get("waveform"))).isEqualTo(ramp);
        var pdfId = pdf.json().at("/message/id").asText();
        assertThat(http.get(base + "/messages/" + pdfId, tenant.token()).json().at("/message/media/page_count")
                .asInt()).isEqualTo(3);

        // what the phone read from the wire
        var heard = awaitInbox(DORA, voiceId).get("media");
        assertThat(heard.get("duration_s").asInt()).isEqualTo(3);
        assertThat(ints(heard.get("waveform"))).isEqualTo(ramp);
        assertThat(awaitInbox(DORA, pdfId).at("/media/page_count").asInt()).isEqualTo(3);
    }

    @Test
    void anAnimatedWebpGoesOutAsAnAnimatedStickerAndAStillOneDoesNot() throws Exception {
        // 1x1 WebPs made by hand to the WebP container spec: VP8X with the animation flag, ANIM, two ANMF frames;
        // and a plain lossless (VP8L) still
        var animated = http.post(base + "/messages/sticker", tenant.token(), """
                {"to":"+%s","base64":"%s"}""".formatted(DORA, b64(resource("sticker-animated.webp"))));
        assertThat(animated.status()).as(animated.toString()).isEqualTo(202);
        var still = http.post(base + "/messages/sticker", tenant.token(), """
                {"to":"+%s","base64":"%s"}""".formatted(DORA, b64(resource("sticker-still.webp"))));
        assertThat(still.status()).as(still.toString()).isEqualTo(202);

        var animatedId = animated.json().at("/message/id").asText();
        var stillId = still.json().at("/message/id").asText();
        assertThat(http.get(base + "/messages/" + animatedId, tenant.token()).json().at("/message/media/animated")
                .asBoolean()).isTrue();
        assertThat(http.get(base + "/messages/" + stillId, tenant.token()).json().at("/message/media").has(
                "animated")).isFalse();

        // what the phone read from the wire: stickerMessage.isAnimated
        var seen = awaitInbox(DORA, animatedId);
        assertThat(seen.at("/media/mime_type").asText()).isEqualTo("image/webp");
        assertThat(seen.at("/media/animated").asBoolean()).as(seen.toString()).isTrue();
        var seenStill = awaitInbox(DORA, stillId);
        assertThat(seenStill.at("/media/mime_type").asText()).isEqualTo("image/webp");
        assertThat(seenStill.at("/media/animated").asBoolean()).as(seenStill.toString()).isFalse();
    }

    @Test
    void aWaveformThatIsNotSixtyFourNumbersFromZeroToAHundredIsA400() throws Exception {
        var opus = b64(resource("voice-2.6s.opus"));
        for (var waveform : List.of("[1,2,3]", "\"loud\"", IntStream.range(0, 64).mapToObj(i -> "101").toList()
                .toString())) {
            var refused = http.post(base + "/messages/audio", tenant.token(), """
                    {"to":"+%s","base64":"%s","waveform":%s}""".formatted(DORA, opus, waveform));
            assertThat(refused.status()).as(waveform + ": " + refused).isEqualTo(400);
            assertEnvelope(refused, 400, "VALIDATION_ERROR");
        }
        var notAVoiceNote = http.post(base + "/messages/audio", tenant.token(), """
                {"to":"+%s","base64":"%s","ptt":false,"waveform":%s}""".formatted(DORA, opus,
                IntStream.range(0, 64).boxed().toList()));
        assertThat(notAVoiceNote.status()).as(notAVoiceNote.toString()).isEqualTo(400);
        assertThat(notAVoiceNote.body()).contains("waveform");
    }

    private static JsonNode awaitInbox(String number, String id) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            for (var message : http.get("/v1/sandbox/phones/" + number + "/messages", ADMIN).json().get("messages")) {
                if (message.get("id").asText().equals(id)) {
                    return message;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError(id + " did not reach " + number + " within " + PATIENCE);
    }

    private static List<Integer> ints(JsonNode array) {
        var out = new ArrayList<Integer>();
        array.forEach(n -> out.add(n.asInt()));
        return out;
    }

    private static byte[] resource(String name) throws Exception {
        try (var in = MediaDetailsEndToEndTest.class.getResourceAsStream("/media/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
