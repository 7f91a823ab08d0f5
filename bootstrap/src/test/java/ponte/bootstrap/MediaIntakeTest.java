package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import ponte.application.model.MediaIntake;
import ponte.application.port.in.MediaIntakeUseCase.MediaSource;
import ponte.domain.validation.ValidationException;

/**
 * The intake of a media send, with the gateway's real adapters (Tika, ImageIO, the SSRF-guarded fetcher) and a real
 * web server for URLs: every bad input is a validation error naming its field, and a good file is described from
 * its bytes. Private URLs are allowed here (the web server is on loopback); {@link MediaEndToEndTest} shows them
 * refused by default.
 */
class MediaIntakeTest {
    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass(Map.of("PONTE_MEDIA_ALLOW_PRIVATE_URLS", "true",
            "PONTE_MEDIA_FETCH_READ_SECONDS", "1"));
    private static final Pages PAGES = new Pages();

    @AfterAll
    static void stop() {
        PAGES.close();
    }

    @Test
    void anImageIsDescribedFromItsBytesWithAThumbnail() throws Exception {
        var png = picture("png", 640, 480);
        var intake = accept(new MediaSource("image", null, Base64.getEncoder().encodeToString(png), null, "a.jpg",
                false));
        try {
            assertThat(intake.mimeType()).isEqualTo("image/png");
            assertThat(intake.size()).isEqualTo(png.length);
            assertThat(Files.readAllBytes(intake.file())).isEqualTo(png);
            assertThat(intake.width()).hasValue(640);
            assertThat(intake.height()).hasValue(480);
            var thumbnail = ImageIO.read(new ByteArrayInputStream(intake.thumbnail().orElseThrow()));
            assertThat(thumbnail.getWidth()).isEqualTo(100);
            assertThat(thumbnail.getHeight()).isEqualTo(75);
            assertThat(intake.sha256()).isEqualTo(java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(png)));
            assertThat(intake.fileName()).contains("a.jpg");
        } finally {
            Files.deleteIfExists(intake.file());
        }
    }

    @Test
    void aUrlIsFetchedAndItsTypeIsTheBytesNotTheHeaderOrName() throws Exception {
        var jpeg = picture("jpeg", 50, 40);
        PAGES.put("/photo.png", "application/octet-stream", jpeg);
        var intake = accept(new MediaSource("image", PAGES.url("/photo.png"), null, "image/png", null, false));
        try {
            assertThat(intake.mimeType()).isEqualTo("image/jpeg");
            assertThat(Files.readAllBytes(intake.file())).isEqualTo(jpeg);
            assertThat(intake.width()).hasValue(50);
        } finally {
            Files.deleteIfExists(intake.file());
        }
    }

    @Test
    void aDataUrlPrefixIsAccepted() throws Exception {
        var intake = accept(new MediaSource("document", null, "data:application/pdf;base64,"
                + Base64.getEncoder().encodeToString(pdf()), null, "report.pdf", false));
        assertThat(intake.mimeType()).isEqualTo("application/pdf");
        Files.deleteIfExists(intake.file());
    }

    @Test
    void voiceNotesMustBeOggOpusAndStickersWebp() throws Exception {
        var voice = accept(new MediaSource("audio", null, b64(ogg("OpusHead")), null, null, true));
        assertThat(voice.mimeType()).isEqualTo("audio/ogg; codecs=opus");
        assertThat(voice.ptt()).isTrue();
        Files.deleteIfExists(voice.file());
        refused(new MediaSource("audio", null, b64(mp3()), null, null, true), "base64", "Ogg/Opus");
        refused(new MediaSource("audio", null, b64(ogg("\u0001vorbis")), null, null, true), "base64", "Ogg/Opus");
        var song = accept(new MediaSource("audio", null, b64(mp3()), null, null, false));
        assertThat(song.mimeType()).isEqualTo("audio/mpeg");
        Files.deleteIfExists(song.file());

        var sticker = accept(new MediaSource("sticker", null, b64(webp()), null, null, false));
        assertThat(sticker.mimeType()).isEqualTo("image/webp");
        Files.deleteIfExists(sticker.file());
        refused(new MediaSource("sticker", null, b64(picture("png", 10, 10)), null, null, false), "base64", "WebP");
    }

    @Test
    void eachBadInputIsAValidationErrorOnItsField() throws Exception {
        refused(new MediaSource("image", null, "not base64!!", null, null, false), "base64", "not valid base64");
        refused(new MediaSource("image", null, "QUJD=A==", null, null, false), "base64", "not valid base64");
        refused(new MediaSource("image", null, null, null, null, false), "url", "exactly one");
        refused(new MediaSource("image", PAGES.url("/x"), b64(pdf()), null, null, false), "base64", "exactly one");
        refused(new MediaSource("image", null, b64(pdf()), null, null, false), "base64", "application/pdf");
        refused(new MediaSource("video", null, b64(picture("png", 8, 8)), null, null, false), "base64", "not a video");
        refused(new MediaSource("image", null, b64(picture("png", 8, 8)), "video/mp4", null, false), "mime_type",
                "not an image");
        refused(new MediaSource("image", null, b64(picture("png", 8, 8)), "an image", null, false), "mime_type",
                "MIME type");
        refused(new MediaSource("gif", null, b64(pdf()), null, null, false), "type", "one of");
        refused(new MediaSource("image", "ftp://example.com/a.png", null, null, null, false), "url", "http");
    }

    @Test
    void urlsThatAreEmptyTooLargeMissingOrSlowAreRefused() {
        PAGES.put("/empty", "image/png", new byte[0]);
        PAGES.put("/huge", exchange -> {
            exchange.sendResponseHeaders(200, 200L * 1024 * 1024); // announced: refused before a byte is read
            exchange.getResponseBody().write(new byte[1000]);
            exchange.getResponseBody().flush();
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        PAGES.put("/slow", exchange -> {
            exchange.sendResponseHeaders(200, 1000);
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        refused(new MediaSource("image", PAGES.url("/empty"), null, null, null, false), "url", "empty file");
        refused(new MediaSource("video", PAGES.url("/huge"), null, null, null, false), "url", "more than");
        refused(new MediaSource("image", PAGES.url("/missing"), null, null, null, false), "url", "HTTP 404");
        refused(new MediaSource("image", PAGES.url("/slow"), null, null, null, false), "url", "timed out");
    }

    @Test
    void aLinkPreviewReadsThePageAndMakesAThumbnailOfItsPicture() throws Exception {
        PAGES.put("/cover.png", "image/png", picture("png", 400, 200));
        PAGES.put("/post", "text/html; charset=utf-8", ("""
                <html><head><title>fallback</title>
                <meta property="og:title" content="Ponte 1.0 is out">
                <meta property="og:description" content="Media, everywhere.">
                <meta property="og:image" content="/cover.png"></head></html>""").getBytes(StandardCharsets.UTF_8));
        var link = PAGES.url("/post");
        var preview = gateway.gateway().useCases().linkPreviews().preview("Read this: " + link + ". Thanks")
                .orElseThrow();
        assertThat(preview.matchedText()).isEqualTo(link);
        assertThat(preview.title()).contains("Ponte 1.0 is out");
        assertThat(preview.description()).contains("Media, everywhere.");
        assertThat(preview.canonicalUrl()).isEqualTo(link);
        var thumbnail = ImageIO.read(new ByteArrayInputStream(preview.thumbnail().orElseThrow()));
        assertThat(thumbnail.getWidth()).isEqualTo(100);
        assertThat(thumbnail.getHeight()).isEqualTo(50);

        assertThat(gateway.gateway().useCases().linkPreviews().preview("no link here")).isEmpty();
        assertThat(gateway.gateway().useCases().linkPreviews().preview(PAGES.url("/missing"))).isEmpty();
    }

    private static MediaIntake accept(MediaSource source) {
        return gateway.gateway().useCases().mediaIntake().accept(source);
    }

    private static void refused(MediaSource source, String field, String problem) {
        assertThatThrownBy(() -> accept(source)).isInstanceOf(ValidationException.class)
                .satisfies(e -> {
                    var violation = ((ValidationException) e).violations().getFirst();
                    assertThat(violation.field()).isEqualTo(field);
                    assertThat(violation.problem()).contains(problem);
                });
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    static byte[] picture(String format, int width, int height) throws Exception {
        var image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setColor(Color.GREEN);
        g.fillRect(0, 0, width, height);
        g.dispose();
        var out = new ByteArrayOutputStream();
        ImageIO.write(image, format, out);
        return out.toByteArray();
    }

    static byte[] pdf() {
        return "%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
    }

    /** The first Ogg page of a stream whose codec header is {@code codecMagic}, at byte 28 (RFC 7845 §5.1). */
    static byte[] ogg(String codecMagic) {
        var out = new ByteArrayOutputStream();
        out.writeBytes("OggS".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[] {0, 2});
        out.writeBytes(new byte[8]);
        out.writeBytes(new byte[] {1, 0, 0, 0});
        out.writeBytes(new byte[8]);
        out.writeBytes(new byte[] {1, 19});
        out.writeBytes(codecMagic.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(new byte[219]);
        return out.toByteArray();
    }

    static byte[] mp3() {
        var out = new ByteArrayOutputStream();
        out.writeBytes("ID3".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[] {4, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xfb, (byte) 0x90, 0x64});
        out.writeBytes(new byte[400]);
        return out.toByteArray();
    }

    static byte[] webp() {
        var out = new ByteArrayOutputStream();
        out.writeBytes("RIFF".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[] {50, 0, 0, 0});
        out.writeBytes("WEBPVP8L".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[] {30, 0, 0, 0, 0x2f});
        out.writeBytes(new byte[100]);
        return out.toByteArray();
    }
}
