package ponte.adapters.delivery.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Types come from the bytes: a file named .jpg that holds a PNG is a PNG. */
class TikaMediaProbeTest {
    private final TikaMediaProbe probe = new TikaMediaProbe();

    @TempDir
    Path dir;

    @Test
    void detectsEachTypeFromItsBytesNotItsName() throws Exception {
        assertThat(probe.detect(write("photo.png", Samples.picture("jpeg", 40, 30)))).isEqualTo("image/jpeg");
        assertThat(probe.detect(write("photo.jpg", Samples.picture("png", 40, 30)))).isEqualTo("image/png");
        assertThat(probe.detect(write("a.bin", Samples.webp()))).isEqualTo("image/webp");
        assertThat(probe.detect(write("v.ogg", Samples.ogg("OpusHead")))).isEqualTo("audio/opus");
        assertThat(probe.detect(write("v.opus", Samples.ogg("\u0001vorbis")))).isNotEqualTo("audio/opus")
                .matches("(audio|application)/.*ogg|audio/vorbis");
        assertThat(probe.detect(write("s.ogg", Samples.mp3()))).isEqualTo("audio/mpeg");
        assertThat(probe.detect(write("m.pdf", Samples.mp4()))).startsWith("video/");
        assertThat(probe.detect(write("d.txt", Samples.pdf()))).isEqualTo("application/pdf");
    }

    @Test
    void aPictureHasItsSizeAndASmallJpegThumbnail() throws Exception {
        var picture = probe.picture(write("big.png", Samples.picture("png", 1600, 900)), 100).orElseThrow();
        assertThat(picture.width()).isEqualTo(1600);
        assertThat(picture.height()).isEqualTo(900);
        var thumbnail = ImageIO.read(new java.io.ByteArrayInputStream(picture.thumbnail()));
        assertThat(thumbnail.getWidth()).isEqualTo(100);
        assertThat(thumbnail.getHeight()).isEqualTo(56);
        assertThat(picture.thumbnail()).startsWith(0xff, 0xd8, 0xff); // a JPEG
        assertThat(picture.thumbnail().length).isLessThan(10_000);
    }

    @Test
    void whatIsNoPictureHasNone() throws Exception {
        assertThat(probe.picture(write("x.jpg", Samples.pdf()), 100)).isEmpty();
    }

    @Test
    void anOggOpusFileLastsWhatItsLastGranuleMinusPreSkipSays() throws Exception {
        // made by opusenc from a 2.6 s tone (opusinfo: pre-skip 312, playback length 0m:02.600s)
        Path voice;
        try (var in = getClass().getResourceAsStream("/media/voice-2.6s.opus")) {
            voice = Files.write(dir.resolve("voice.opus"), in.readAllBytes());
        }
        assertThat(probe.detect(voice)).isEqualTo("audio/opus");
        assertThat(OggOpusLength.samples(voice)).hasValue(124_800); // 2.6 s at 48 kHz
        assertThat(probe.durationSeconds(voice, "audio/opus")).hasValue(3);
        // the same pages with one byte of the last one changed: its CRC fails, and an earlier page is believed
        var bytes = Files.readAllBytes(voice);
        bytes[bytes.length - 1] ^= 1;
        var damaged = Files.write(dir.resolve("damaged.opus"), bytes);
        assertThat(OggOpusLength.samples(damaged).orElseThrow()).isLessThan(124_800);
        // a header with no valid page, and things that are no Ogg/Opus, have no length
        assertThat(probe.durationSeconds(write("fake.opus", Samples.ogg("OpusHead")), "audio/opus")).isEmpty();
        assertThat(probe.durationSeconds(write("v.ogg", Samples.ogg("\u0001vorbis")), "audio/ogg")).isEmpty();
        assertThat(probe.durationSeconds(voice, "audio/mpeg")).isEmpty();
        assertThat(OggOpusLength.seconds(100)).isEqualTo(1); // a click still lasts a second
    }

    @Test
    void aPdfHasItsPageCount() throws Exception {
        Path pdf = dir.resolve("three.pdf");
        try (var document = new org.apache.pdfbox.pdmodel.PDDocument()) {
            for (int i = 0; i < 3; i++) {
                document.addPage(new org.apache.pdfbox.pdmodel.PDPage());
            }
            document.save(pdf.toFile());
        }
        assertThat(probe.pageCount(pdf, "application/pdf")).hasValue(3);
        assertThat(probe.pageCount(write("broken.pdf", Samples.pdf()), "application/pdf")).isEmpty();
        assertThat(probe.pageCount(write("junk.pdf", "%PDF-1.7 nothing else".getBytes()), "application/pdf"))
                .isEmpty();
        assertThat(probe.pageCount(pdf, "image/png")).isEmpty();
    }

    @Test
    void anAnimatedWebpIsToldFromAStillOneByItsChunks() throws Exception {
        var still = write("still.webp", Samples.webp(false, false));
        var extendedStill = write("extended.webp", Samples.webp(true, false));
        var animated = write("animated.webp", Samples.webp(true, true));
        assertThat(probe.detect(still)).isEqualTo("image/webp");
        assertThat(probe.detect(animated)).isEqualTo("image/webp");

        assertThat(probe.animated(animated, "image/webp")).isTrue();
        assertThat(probe.animated(still, "image/webp")).isFalse();
        assertThat(probe.animated(extendedStill, "image/webp")).as("VP8X without the animation flag").isFalse();
        assertThat(probe.animated(write("old.webp", Samples.webp()), "image/webp")).isFalse();
        assertThat(probe.animated(animated, "image/png")).as("only a WebP is asked").isFalse();

        // the flag alone, or an ANMF chunk without the flag, each says animated
        byte[] flagOnly = Samples.webp(true, false);
        flagOnly[20] = 0x02; // the VP8X payload's flags byte
        assertThat(probe.animated(write("flag.webp", flagOnly), "image/webp")).isTrue();
        byte[] frames = Samples.webp(true, true);
        frames[20] = 0;
        assertThat(probe.animated(write("frames.webp", frames), "image/webp")).isTrue();
        // a truncated or lying chunk size ends the walk without an error
        assertThat(probe.animated(write("cut.webp", java.util.Arrays.copyOf(Samples.webp(true, true), 20)),
                "image/webp")).isFalse();
        byte[] huge = Samples.webp(false, false);
        huge[16] = (byte) 0xff;
        huge[17] = (byte) 0xff;
        huge[18] = (byte) 0xff;
        huge[19] = (byte) 0xff;
        assertThat(probe.animated(write("huge.webp", huge), "image/webp")).isFalse();
    }

    @Test
    void extensionsFollowTheType() {
        assertThat(probe.extension("image/jpeg")).contains("jpg");
        assertThat(probe.extension("audio/ogg; codecs=opus")).contains("ogg");
        assertThat(probe.extension("video/mp4")).contains("mp4");
        assertThat(probe.extension("application/pdf")).contains("pdf");
        assertThat(probe.extension("image/webp")).contains("webp");
    }

    private Path write(String name, byte[] bytes) throws Exception {
        return Files.write(dir.resolve(name), bytes);
    }
}
