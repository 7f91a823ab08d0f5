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
