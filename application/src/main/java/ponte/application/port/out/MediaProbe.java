package ponte.application.port.out;

import java.nio.file.Path;
import java.util.Optional;

/** Looks into a media file's bytes: its MIME type, and for a picture its size and a small JPEG thumbnail. */
public interface MediaProbe {

    /**
     * The MIME type the bytes are, by their magic numbers (never by a file name), e.g. {@code image/jpeg},
     * {@code audio/opus} for Ogg/Opus, {@code application/octet-stream} when nothing matches.
     */
    String detect(Path file);

    /** Width and height in pixels and a JPEG thumbnail (longest side at most {@code maxSide}); empty when unreadable. */
    Optional<Picture> picture(Path file, int maxSide);

    /**
     * How long a sound or a video plays, in whole seconds (rounded, at least 1 for anything that plays): Ogg/Opus from
     * its last page's granule position (RFC 7845 §4), MP4 and M4A from the movie header; empty for other formats or
     * when the file does not say.
     */
    java.util.OptionalInt durationSeconds(Path file, String mimeType);

    /**
     * Whether a WebP file is animated: its {@code VP8X} header has the animation flag set, or it has an
     * {@code ANIM} or {@code ANMF} chunk (WebP container specification, "Extended File Format"); false for any other
     * type ({@code mimeType} other than {@code image/webp}) or a file that is not a readable WebP.
     */
    boolean animated(Path file, String mimeType);

    /** A PDF's number of pages; empty for other types, or when the document cannot be read (or is encrypted). */
    java.util.OptionalInt pageCount(Path file, String mimeType);

    /** The file extension, without the dot, the MIME type usually has ({@code jpg}, {@code ogg}); empty when none. */
    Optional<String> extension(String mimeType);

    /**
     * A picture's dimensions and thumbnail.
     *
     * @param thumbnail a JPEG
     */
    record Picture(int width, int height, byte[] thumbnail) {
        public Picture {
            thumbnail = thumbnail.clone();
        }

        @Override
        public byte[] thumbnail() {
            return thumbnail.clone();
        }
    }
}
