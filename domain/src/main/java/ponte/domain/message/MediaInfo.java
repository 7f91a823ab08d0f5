package ponte.domain.message;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The {@code media} object of a message (API.md "The message object"):
 * <pre>{@code
 * {mime_type, file_name?, size?, sha256?, duration_s?, width?, height?, url?, ptt?, gif?, animated?, waveform?,
 *  page_count?, error?}
 * }</pre>
 * What the sender's message says about its file, and where the gateway keeps it once downloaded.
 *
 * @param mimeType  the MIME type the sender declared (for sends, the one detected from the bytes)
 * @param fileName  a document's file name, as {@link MediaContent#safeFileName} leaves it (a peer's name may carry
 *                  a path or control and bidirectional characters); empty when nothing is left
 * @param size      the plaintext's length in bytes
 * @param sha256    the hex SHA-256 of the plaintext (the wire's {@code fileSha256}; checked on download)
 * @param durationS an audio's or video's length in whole seconds
 * @param width     an image's, video's or sticker's width in pixels
 * @param height    its height in pixels
 * @param url       where the API serves the stored file ({@code GET /v1/instances/{id}/media/{message_id}} or the
 *                  S3 object); empty until stored, and when the download failed
 * @param ptt       an audio that is a voice note (push to talk)
 * @param gif       a video played as a GIF (looped, muted)
 * @param animated  an animated sticker
 * @param error     why the file could not be had (the download failed after retries); the message is still
 *                  announced, with {@code media.error}
 * @param waveform  a voice note's loudness samples ({@code waveform}: 64 numbers 0–100), when given
 * @param pageCount a document's number of pages ({@code page_count}), when known
 */
public record MediaInfo(String mimeType, Optional<String> fileName, OptionalLong size, Optional<String> sha256,
                        OptionalInt durationS, OptionalInt width, OptionalInt height, Optional<String> url,
                        boolean ptt, boolean gif, boolean animated, Optional<String> error,
                        Optional<Waveform> waveform, OptionalInt pageCount) {

    /** A description without waveform or page count. */
    public MediaInfo(String mimeType, Optional<String> fileName, OptionalLong size, Optional<String> sha256,
                     OptionalInt durationS, OptionalInt width, OptionalInt height, Optional<String> url,
                     boolean ptt, boolean gif, boolean animated, Optional<String> error) {
        this(mimeType, fileName, size, sha256, durationS, width, height, url, ptt, gif, animated, error,
                Optional.empty(), OptionalInt.empty());
    }

    public MediaInfo {
        Objects.requireNonNull(waveform, "waveform");
        Objects.requireNonNull(pageCount, "pageCount");
        Objects.requireNonNull(mimeType, "mimeType");
        Objects.requireNonNull(fileName, "fileName");
        fileName = fileName.flatMap(MediaContent::safeFileName);
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(durationS, "durationS");
        Objects.requireNonNull(width, "width");
        Objects.requireNonNull(height, "height");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(error, "error");
        if (sha256.isPresent() && !sha256.get().matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256 is 64 lowercase hex digits");
        }
    }

    /** A description with only its MIME type; the rest is filled with the {@code with…} methods. */
    public static MediaInfo of(String mimeType) {
        return new MediaInfo(mimeType, Optional.empty(), OptionalLong.empty(), Optional.empty(), OptionalInt.empty(),
                OptionalInt.empty(), OptionalInt.empty(), Optional.empty(), false, false, false, Optional.empty());
    }

    /** The same description, served at {@code url} (the file was stored). */
    public MediaInfo withUrl(String url) {
        return new MediaInfo(mimeType, fileName, size, sha256, durationS, width, height, Optional.of(url), ptt, gif,
                animated, Optional.empty(), waveform, pageCount);
    }

    /** The same description, with the reason its file could not be had. */
    public MediaInfo withError(String reason) {
        return new MediaInfo(mimeType, fileName, size, sha256, durationS, width, height, Optional.empty(), ptt, gif,
                animated, Optional.of(reason), waveform, pageCount);
    }

    /** The same description, with a voice note's waveform and a document's page count. */
    public MediaInfo withExtras(Optional<Waveform> newWaveform, OptionalInt newPageCount) {
        return new MediaInfo(mimeType, fileName, size, sha256, durationS, width, height, url, ptt, gif, animated,
                error, newWaveform, newPageCount);
    }

    /** The wire form; absent fields and false flags are left out. */
    public Map<String, Object> wireForm() {
        var wire = new LinkedHashMap<String, Object>();
        wire.put("mime_type", mimeType);
        fileName.ifPresent(v -> wire.put("file_name", v));
        size.ifPresent(v -> wire.put("size", v));
        sha256.ifPresent(v -> wire.put("sha256", v));
        durationS.ifPresent(v -> wire.put("duration_s", v));
        width.ifPresent(v -> wire.put("width", v));
        height.ifPresent(v -> wire.put("height", v));
        url.ifPresent(v -> wire.put("url", v));
        if (ptt) {
            wire.put("ptt", true);
        }
        if (gif) {
            wire.put("gif", true);
        }
        if (animated) {
            wire.put("animated", true);
        }
        waveform.ifPresent(v -> wire.put("waveform", v.values()));
        pageCount.ifPresent(v -> wire.put("page_count", v));
        error.ifPresent(v -> wire.put("error", v));
        return wire;
    }
}
