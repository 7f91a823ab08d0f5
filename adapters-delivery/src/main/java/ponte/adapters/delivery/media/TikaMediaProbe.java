package ponte.adapters.delivery.media;

import java.awt.Image;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.tika.Tika;
import org.apache.tika.mime.MimeTypeException;
import org.apache.tika.mime.MimeTypes;
import ponte.application.port.out.MediaProbe;

/**
 * Reads a media file's type from its bytes with Apache Tika's magic-number detection (tika-core: no parser runs, so
 * no file's content is interpreted beyond its signature), a picture's size and thumbnail with ImageIO, an Ogg/Opus
 * file's length from its pages ({@link OggOpusLength}), a PDF's page count with Apache PDFBox and whether a WebP is
 * animated from its chunk headers.
 */
public final class TikaMediaProbe implements MediaProbe {
    /** Tika reads at most this many leading bytes; Ogg's "OpusHead" sits at byte 28, MP4's brand at byte 8. */
    private static final int SNIFF_BYTES = 64 * 1024;
    /** A picture with more pixels than this is not decoded for a thumbnail (a decompression bomb guard). */
    private static final long MAX_PIXELS = 50_000_000L;
    private static final float THUMBNAIL_QUALITY = 0.75f;

    private final Tika tika = new Tika();

    @Override
    public String detect(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            var head = in.readNBytes(SNIFF_BYTES);
            var type = tika.detect(head);
            if (type.equals("audio/ogg") || type.equals("application/ogg")) {
                // Ogg carries Vorbis, Opus, FLAC...: the first page's codec header says which (RFC 7845 §5.1)
                return isOpus(head) ? "audio/opus" : type;
            }
            return type;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the media file", e);
        }
    }

    private static boolean isOpus(byte[] head) {
        var magic = "OpusHead".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        if (head.length < 28 + magic.length) {
            return false;
        }
        return java.util.Arrays.equals(head, 28, 28 + magic.length, magic, 0, magic.length);
    }

    @Override
    public Optional<Picture> picture(Path file, int maxSide) {
        try (var stream = ImageIO.createImageInputStream(file.toFile())) {
            if (stream == null) {
                return Optional.empty();
            }
            var readers = ImageIO.getImageReaders(stream);
            if (!readers.hasNext()) {
                return Optional.empty();
            }
            var reader = readers.next();
            try {
                reader.setInput(stream, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width <= 0 || height <= 0 || (long) width * height > MAX_PIXELS) {
                    return Optional.empty();
                }
                var param = reader.getDefaultReadParam();
                // subsample while decoding: a 4000 px photo is never held at full size for a 100 px thumbnail
                int step = Math.max(1, Math.max(width, height) / (maxSide * 4));
                param.setSourceSubsampling(step, step, 0, 0);
                var image = reader.read(0, param);
                return Optional.of(new Picture(width, height, thumbnail(image, maxSide)));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public OptionalInt durationSeconds(Path file, String mimeType) {
        var base = mimeType.split(";")[0].strip();
        if (!base.equals("audio/opus") && !base.equals("audio/ogg") && !base.equals("application/ogg")) {
            return OptionalInt.empty(); // MP3, MP4/M4A and the rest: no reader here (see docs/media.md)
        }
        try {
            var samples = OggOpusLength.samples(file);
            return samples.isPresent() ? OptionalInt.of(OggOpusLength.seconds(samples.getAsLong()))
                    : OptionalInt.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
    }

    @Override
    public boolean animated(Path file, String mimeType) {
        if (!mimeType.split(";")[0].strip().equals("image/webp")) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            return animatedWebp(in.readNBytes(SNIFF_BYTES));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Whether the leading bytes of a WebP say it is animated. The file is {@code RIFF} size {@code WEBP} and then
     * chunks (a FourCC, a little-endian 32-bit payload size, the payload padded to an even length); an extended
     * file's first chunk is {@code VP8X}, whose first payload byte holds the flags, bit 1 (0x02) the animation flag,
     * followed for an animation by {@code ANIM} and then one {@code ANMF} per frame (Google, "WebP Container
     * Specification", Extended File Format). A chunk either way is taken as animated.
     */
    static boolean animatedWebp(byte[] head) {
        if (head.length < 12 || !fourCc(head, 0, "RIFF") || !fourCc(head, 8, "WEBP")) {
            return false;
        }
        int at = 12;
        while (at + 8 <= head.length) {
            long size = (head[at + 4] & 0xffL) | (head[at + 5] & 0xffL) << 8 | (head[at + 6] & 0xffL) << 16
                    | (head[at + 7] & 0xffL) << 24;
            if (fourCc(head, at, "VP8X") && at + 8 < head.length && (head[at + 8] & 0x02) != 0) {
                return true;
            }
            if (fourCc(head, at, "ANIM") || fourCc(head, at, "ANMF")) {
                return true;
            }
            long next = at + 8L + size + (size & 1);
            if (next > Integer.MAX_VALUE) {
                return false;
            }
            at = (int) next;
        }
        return false;
    }

    private static boolean fourCc(byte[] bytes, int at, String code) {
        for (int i = 0; i < 4; i++) {
            if (bytes[at + i] != code.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public OptionalInt pageCount(Path file, String mimeType) {
        if (!mimeType.split(";")[0].strip().equals("application/pdf")) {
            return OptionalInt.empty();
        }
        // the page tree's /Count, reached through the cross-reference table: nothing is rendered or decoded
        try (PDDocument pdf = Loader.loadPDF(new RandomAccessReadBufferedFile(file))) {
            int pages = pdf.getNumberOfPages();
            return pages > 0 ? OptionalInt.of(pages) : OptionalInt.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty(); // unreadable, or encrypted with a password we do not have
        }
    }

    @Override
    public Optional<String> extension(String mimeType) {
        var base = mimeType.split(";")[0].strip();
        if (base.equals("audio/opus") || base.equals("audio/ogg")) {
            return Optional.of("ogg");
        }
        if (base.equals("image/jpeg")) {
            return Optional.of("jpg");
        }
        try {
            var extension = MimeTypes.getDefaultMimeTypes().forName(base).getExtension();
            return extension.isEmpty() ? Optional.empty() : Optional.of(extension.substring(1));
        } catch (MimeTypeException e) {
            return Optional.empty();
        }
    }

    private static byte[] thumbnail(BufferedImage image, int maxSide) throws IOException {
        double scale = Math.min(1.0, (double) maxSide / Math.max(image.getWidth(), image.getHeight()));
        int w = Math.max(1, (int) Math.round(image.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(image.getHeight() * scale));
        var small = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        var g = small.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setColor(java.awt.Color.WHITE); // transparent pixels become white, as JPEG has no alpha
            g.fillRect(0, 0, w, h);
            g.drawImage(image.getScaledInstance(w, h, Image.SCALE_SMOOTH), 0, 0, null);
        } finally {
            g.dispose();
        }
        var writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        var out = new ByteArrayOutputStream();
        try (var stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            var param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(THUMBNAIL_QUALITY);
            writer.write(null, new IIOImage(small, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
