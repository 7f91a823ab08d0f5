package ponte.adapters.whatsapp.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ponte.application.port.out.MediaTransferPort.MediaKind;
import ponte.application.port.out.MediaTransferPort.MediaRef;
import ponte.application.port.out.MessagingPort.WireContent;
import ponte.domain.message.Message;
import ponte.domain.message.MessageExchanged;

/**
 * Every media type between an unmodified Baileys client and our instance through the sandbox, both ways: image
 * (caption, JPEG thumbnail, width/height), video, GIF, audio, voice note (ptt, Ogg/Opus, seconds), document (file
 * name) and sticker (WebP, static and animated). Baileys uploads with its own media_conn and upload code to the
 * sandbox's HTTPS media host (trusting it through the sandbox root's certificate) and sends its media message; our
 * instance hands the message over with the fields the sender set and downloads the file through the media transfer
 * port (hash and MAC checked) byte-identical. The reverse: our engine uploads the file and sends the message the
 * API's queue sends ({@link WireContent.StagedMedia} made {@link WireContent.Media} by its upload), and Baileys
 * decodes it and opens the file with its own code, byte-identical, with the same fields.
 */
class BaileysMediaOracleTest {
    private static final String ANA = "5511955550341";
    private static final String BRUNO = "5511955550342";

    /** One media send: the fields both sides must read back, and the file's first bytes (its format's magic). */
    private record Case(String name, MediaKind kind, String mimeType, Optional<String> caption,
                        Optional<String> fileName, OptionalInt width, OptionalInt height, OptionalInt seconds,
                        boolean ptt, boolean gif, boolean animated, boolean thumbnail, byte[] magic, int size) {
        String baileysKind() {
            return kind.name().toLowerCase(java.util.Locale.ROOT);
        }

        String baileysMessage() {
            return baileysKind() + "Message";
        }
    }

    private static final List<Case> CASES = List.of(
            new Case("image", MediaKind.IMAGE, "image/jpeg", Optional.of("a foto"), Optional.empty(),
                    OptionalInt.of(800), OptionalInt.of(600), OptionalInt.empty(), false, false, false, true,
                    new byte[]{(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0}, 234_567),
            new Case("video", MediaKind.VIDEO, "video/mp4", Optional.of("o vídeo"), Optional.empty(),
                    OptionalInt.of(640), OptionalInt.of(360), OptionalInt.of(7), false, false, false, true,
                    mp4(), 456_789),
            new Case("gif", MediaKind.VIDEO, "video/mp4", Optional.of("rindo"), Optional.empty(),
                    OptionalInt.of(320), OptionalInt.of(240), OptionalInt.of(3), false, true, false, true,
                    mp4(), 98_765),
            new Case("audio", MediaKind.AUDIO, "audio/mpeg", Optional.empty(), Optional.empty(),
                    OptionalInt.empty(), OptionalInt.empty(), OptionalInt.of(12), false, false, false, false,
                    "ID3".getBytes(StandardCharsets.US_ASCII), 123_456),
            new Case("voice note", MediaKind.AUDIO, "audio/ogg; codecs=opus", Optional.empty(), Optional.empty(),
                    OptionalInt.empty(), OptionalInt.empty(), OptionalInt.of(4), true, false, false, false,
                    "OggS".getBytes(StandardCharsets.US_ASCII), 23_456),
            new Case("document", MediaKind.DOCUMENT, "application/pdf", Optional.of("o relatório"),
                    Optional.of("relatório de março.pdf"), OptionalInt.empty(), OptionalInt.empty(),
                    OptionalInt.empty(), false, false, false, false, "%PDF-1.7".getBytes(StandardCharsets.US_ASCII),
                    345_678),
            new Case("sticker", MediaKind.STICKER, "image/webp", Optional.empty(), Optional.empty(),
                    OptionalInt.of(512), OptionalInt.of(512), OptionalInt.empty(), false, false, false, false,
                    webp(false), 12_345),
            new Case("animated sticker", MediaKind.STICKER, "image/webp", Optional.empty(), Optional.empty(),
                    OptionalInt.of(512), OptionalInt.of(512), OptionalInt.empty(), false, false, true, false,
                    webp(true), 45_678));

    private final SecureRandom random = new SecureRandom();
    private BaileysPair pair;

    @TempDir
    Path dir;

    @BeforeEach
    void linkBoth() throws Exception {
        pair = BaileysPair.link(ANA, BRUNO);
        pair.call(pair.request("baileysWatchMedia"));
    }

    @AfterEach
    void stop() throws Exception {
        pair.close();
    }

    @Test
    void everyMediaTypeBaileysSendsReachesOurInstanceWithItsFieldsAndByteIdentical() throws Exception {
        var soft = new SoftAssertions();
        byte[] thumbnail = jpeg(1_234);
        for (Case c : CASES) {
            byte[] file = file(c);
            Path path = dir.resolve("baileys-" + c.name().replace(' ', '-'));
            Files.write(path, file);
            ObjectNode fields = new ObjectMapper().createObjectNode();
            c.width().ifPresent(w -> fields.put("width", w));
            c.height().ifPresent(h -> fields.put("height", h));
            c.seconds().ifPresent(s -> fields.put("seconds", s));
            if (c.ptt()) {
                fields.put("ptt", true).put("waveform", "");
            }
            if (c.gif()) {
                fields.put("gifPlayback", true);
            }
            if (c.animated()) {
                fields.put("isAnimated", true);
            }
            var request = pair.request("baileysSendMedia").put("to", ANA + "@s.whatsapp.net")
                    .put("kind", c.baileysKind()).put("path", path.toString()).put("mimetype", c.mimeType())
                    .put("caPem", pair.sandbox.media().certificate().rootPem());
            c.caption().ifPresent(v -> request.put("caption", v));
            c.fileName().ifPresent(v -> request.put("fileName", v));
            if (c.thumbnail()) {
                request.put("thumbnail", HexFormat.of().formatHex(thumbnail));
            }
            request.set("fields", fields);
            String messageId = pair.call(request).path("messageId").asText();

            BaileysPair.awaitUntil(() -> pair.reports.media(messageId).isPresent());
            var handed = pair.reports.handedOver().stream()
                    .filter(e -> e.message().id().value().equals(messageId)).findFirst().orElseThrow();
            soft.assertThat(handed.kind()).as(c.name()).isEqualTo(MessageExchanged.Kind.RECEIVED);
            var body = (Message.Media) handed.message().body();
            var info = body.media();
            soft.assertThat(body.kind().name()).as(c.name() + " kind").isEqualTo(c.kind().name());
            soft.assertThat(info.mimeType()).as(c.name() + " mimetype").isEqualTo(c.mimeType());
            soft.assertThat(body.caption()).as(c.name() + " caption").isEqualTo(c.caption());
            soft.assertThat(info.fileName()).as(c.name() + " fileName").isEqualTo(c.fileName());
            soft.assertThat(info.size()).as(c.name() + " size").hasValue(file.length);
            soft.assertThat(info.width()).as(c.name() + " width").isEqualTo(c.width());
            soft.assertThat(info.height()).as(c.name() + " height").isEqualTo(c.height());
            soft.assertThat(info.durationS()).as(c.name() + " seconds").isEqualTo(c.seconds());
            soft.assertThat(info.ptt()).as(c.name() + " ptt").isEqualTo(c.ptt());
            soft.assertThat(info.gif()).as(c.name() + " gifPlayback").isEqualTo(c.gif());
            soft.assertThat(info.animated()).as(c.name() + " isAnimated").isEqualTo(c.animated());

            var media = pair.reports.media(messageId).orElseThrow();
            soft.assertThat(media.kind()).as(c.name() + " media kind").isEqualTo(c.kind());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            pair.engine.download(pair.id, media.key(), media.kind(), media.ref(), out);
            soft.assertThat(out.toByteArray()).as(c.name() + " bytes").isEqualTo(file);
        }
        soft.assertAll();
    }

    @Test
    void everyMediaTypeOurInstanceSendsIsOpenedByBaileysWithItsFieldsAndByteIdentical() throws Exception {
        var soft = new SoftAssertions();
        byte[] thumbnail = jpeg(1_234);
        for (Case c : CASES) {
            byte[] file = file(c);
            Path path = dir.resolve("ours-" + c.name().replace(' ', '-'));
            Files.write(path, file);
            MediaRef ref = pair.engine.upload(pair.id, c.kind(), path, MediaTransferTest.kept(path));
            // what the API's queue keeps for a send, made the wire message by its upload (MediaMessages.sendable)
            var staged = new WireContent.StagedMedia(c.kind(), c.mimeType(), c.caption(), c.fileName(), c.width(),
                    c.height(), c.ptt(), c.gif(), c.thumbnail() ? Optional.of(thumbnail) : Optional.empty());
            var uploaded = staged.uploaded(ref);
            // an audio's length and a sticker's animation the engine sends when given (the API does not give them)
            var content = new WireContent.Media(uploaded.kind(), uploaded.ref(), uploaded.mimeType(),
                    uploaded.caption(), uploaded.fileName(), uploaded.width(), uploaded.height(), c.seconds(),
                    uploaded.ptt(), uploaded.gif(), c.animated(), uploaded.thumbnail(), uploaded.waveform());
            var sent = pair.send(content);

            Path opened = dir.resolve("opened-" + c.name().replace(' ', '-'));
            JsonNode received = pair.call(pair.request("baileysReceivedMedia").put("messageId", sent.value())
                    .put("caPem", pair.sandbox.media().certificate().rootPem())
                    .put("host", pair.sandbox.media().hostname()).put("out", opened.toString())
                    .put("timeoutMs", BaileysPair.TIMEOUT_MS));
            soft.assertThat(received.path("kind").asText()).as(c.name() + " kind").isEqualTo(c.baileysMessage());
            soft.assertThat(received.path("mimetype").asText()).as(c.name() + " mimetype").isEqualTo(c.mimeType());
            soft.assertThat(text(received, "caption")).as(c.name() + " caption").isEqualTo(c.caption());
            soft.assertThat(text(received, "fileName")).as(c.name() + " fileName").isEqualTo(c.fileName());
            soft.assertThat(received.path("fileLength").asLong()).as(c.name() + " fileLength").isEqualTo(file.length);
            soft.assertThat(number(received, "width")).as(c.name() + " width").isEqualTo(c.width());
            soft.assertThat(number(received, "height")).as(c.name() + " height").isEqualTo(c.height());
            soft.assertThat(number(received, "seconds")).as(c.name() + " seconds").isEqualTo(c.seconds());
            soft.assertThat(received.path("ptt").asBoolean()).as(c.name() + " ptt").isEqualTo(c.ptt());
            soft.assertThat(received.path("gifPlayback").asBoolean()).as(c.name() + " gifPlayback")
                    .isEqualTo(c.gif());
            soft.assertThat(received.path("isAnimated").asBoolean()).as(c.name() + " isAnimated")
                    .isEqualTo(c.animated());
            soft.assertThat(text(received, "jpegThumbnail")).as(c.name() + " jpegThumbnail")
                    .isEqualTo(c.thumbnail() ? Optional.of(HexFormat.of().formatHex(thumbnail)) : Optional.empty());
            soft.assertThat(Files.readAllBytes(opened)).as(c.name() + " bytes").isEqualTo(file);
        }
        soft.assertAll();
    }

    private static Optional<String> text(JsonNode node, String field) {
        return node.path(field).isTextual() ? Optional.of(node.path(field).asText()) : Optional.empty();
    }

    private static OptionalInt number(JsonNode node, String field) {
        return node.path(field).isNumber() ? OptionalInt.of(node.path(field).asInt()) : OptionalInt.empty();
    }

    /** A file of the case's size that starts with its format's magic; the rest is random. */
    private byte[] file(Case c) {
        byte[] bytes = new byte[c.size()];
        random.nextBytes(bytes);
        System.arraycopy(c.magic(), 0, bytes, 0, c.magic().length);
        return bytes;
    }

    private static byte[] mp4() {
        return new byte[]{0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'm', 'p', '4', '2'};
    }

    /** The start of a WebP with its VP8X header; {@code animated} sets the header's animation flag. */
    private static byte[] webp(boolean animated) {
        return new byte[]{'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', 'X', 10, 0, 0, 0,
                (byte) (animated ? 0x02 : 0x00)};
    }

    /**
     * A thumbnail as each side must carry it byte for byte: JPEG's start and end markers around random bytes
     * (neither side decodes it; java.desktop's ImageIO is not readable from this module's tests).
     */
    private byte[] jpeg(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        bytes[0] = (byte) 0xff;
        bytes[1] = (byte) 0xd8;
        bytes[size - 2] = (byte) 0xff;
        bytes[size - 1] = (byte) 0xd9;
        return bytes;
    }
}
