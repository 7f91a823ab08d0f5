package ponte.adapters.delivery.media;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;

/** Real files of each type, made here: pictures by ImageIO, and the leading pages of Ogg and RIFF containers. */
final class Samples {
    private Samples() {}

    /** A picture of the given size in an ImageIO format ({@code jpeg}, {@code png}). */
    static byte[] picture(String format, int width, int height) throws IOException {
        var image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLUE);
        g.fillOval(width / 4, height / 4, width / 2, height / 2);
        g.dispose();
        var out = new ByteArrayOutputStream();
        ImageIO.write(image, format, out);
        return out.toByteArray();
    }

    /** The first Ogg page of a stream whose codec header is {@code codecMagic} ({@code OpusHead}, {@code \1vorbis}). */
    static byte[] ogg(String codecMagic) {
        var out = new ByteArrayOutputStream();
        out.writeBytes("OggS".getBytes(StandardCharsets.US_ASCII));
        out.write(0); // version
        out.write(2); // beginning of stream
        out.writeBytes(new byte[8]); // granule position
        out.writeBytes(new byte[] {1, 0, 0, 0}); // serial
        out.writeBytes(new byte[4]); // sequence
        out.writeBytes(new byte[4]); // checksum
        out.write(1); // one segment
        out.write(19); // of 19 bytes
        var head = codecMagic.getBytes(StandardCharsets.ISO_8859_1);
        out.writeBytes(head); // at byte 28 (RFC 7845 §5.1 for Opus)
        out.writeBytes(new byte[19 - head.length + 200]);
        return out.toByteArray();
    }

    /** A RIFF/WebP header followed by a VP8L chunk's start. */
    static byte[] webp() {
        var out = new ByteArrayOutputStream();
        out.writeBytes("RIFF".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[] {50, 0, 0, 0});
        out.writeBytes("WEBPVP8L".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[] {30, 0, 0, 0, 0x2f});
        out.writeBytes(new byte[100]);
        return out.toByteArray();
    }

    /** A 1x1 lossless {@code VP8L} bitstream (a transparent pixel), the image data of {@link #webp(boolean, boolean)}. */
    private static final byte[] PIXEL = {0x2f, 0, 0, 0, 0x10, 0x07, 0x10, 0x11, 0x11, (byte) 0x88, (byte) 0x88,
            (byte) 0xfe, 0x07};

    /**
     * A whole 1x1 WebP (WebP container specification): {@code extended} makes it an extended file ({@code VP8X}
     * header, canvas 1x1); {@code animated} (implies extended) sets the header's animation flag and holds two
     * {@code ANMF} frames of 100 ms after an {@code ANIM} chunk that loops forever.
     */
    static byte[] webp(boolean extended, boolean animated) {
        var body = new ByteArrayOutputStream();
        body.writeBytes("WEBP".getBytes(StandardCharsets.US_ASCII));
        if (extended || animated) {
            // flags (bit 1 = animation), 3 reserved bytes, canvas width - 1 and height - 1 (24 bits each)
            body.writeBytes(chunk("VP8X", new byte[] {(byte) (animated ? 0x02 : 0x00), 0, 0, 0, 0, 0, 0, 0, 0, 0}));
        }
        if (animated) {
            body.writeBytes(chunk("ANIM", new byte[] {0, 0, 0, 0, 0, 0})); // background colour, loop count 0
            for (int frame = 0; frame < 2; frame++) {
                var anmf = new ByteArrayOutputStream();
                // X/2, Y/2, width - 1, height - 1 (24 bits each), duration 100 ms (24 bits), blending/disposal
                anmf.writeBytes(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100, 0, 0, 0});
                anmf.writeBytes(chunk("VP8L", PIXEL));
                body.writeBytes(chunk("ANMF", anmf.toByteArray()));
            }
        } else {
            body.writeBytes(chunk("VP8L", PIXEL));
        }
        return chunk("RIFF", body.toByteArray());
    }

    /** A RIFF chunk: FourCC, little-endian payload size, payload, a pad byte when the size is odd. */
    private static byte[] chunk(String fourCc, byte[] payload) {
        var out = new ByteArrayOutputStream();
        out.writeBytes(fourCc.getBytes(StandardCharsets.US_ASCII));
        int n = payload.length;
        out.writeBytes(new byte[] {(byte) n, (byte) (n >>> 8), (byte) (n >>> 16), (byte) (n >>> 24)});
        out.writeBytes(payload);
        if ((n & 1) == 1) {
            out.write(0);
        }
        return out.toByteArray();
    }

    /** An MP3 with an ID3v2 tag. */
    static byte[] mp3() {
        var out = new ByteArrayOutputStream();
        out.writeBytes("ID3".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[] {4, 0, 0, 0, 0, 0, 0});
        out.writeBytes(new byte[] {(byte) 0xff, (byte) 0xfb, (byte) 0x90, 0x64});
        out.writeBytes(new byte[400]);
        return out.toByteArray();
    }

    /** The start of an MP4 ({@code ftyp} box with the {@code isom} brand). */
    static byte[] mp4() {
        var out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0, 0, 0, 0x20});
        out.writeBytes("ftypisom".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[] {0, 0, 2, 0});
        out.writeBytes("isomiso2avc1mp41".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[] {0, 0, 0, 8});
        out.writeBytes("free".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[200]);
        return out.toByteArray();
    }

    /** The start of a PDF. */
    static byte[] pdf() {
        return "%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
                .getBytes(StandardCharsets.US_ASCII);
    }
}
