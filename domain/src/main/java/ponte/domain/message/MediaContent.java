package ponte.domain.message;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import ponte.domain.validation.Violations;

/**
 * A media send ({@code POST /v1/instances/{id}/messages/{image|video|audio|document|sticker}}) as validated from its
 * fields: where the file comes from and how to present it. Fetching a URL (through the SSRF guard), detecting the
 * MIME type from the bytes, thumbnails and the checks that need the bytes (0 bytes, ptt not Ogg/Opus, a sticker
 * that is not WebP) happen in the application's media intake, after this.
 *
 * @param kind     the API type
 * @param source   {@code url} xor {@code base64}
 * @param caption  images, videos and documents
 * @param fileName a document's name as the recipient sees it
 * @param mimeType the MIME type the caller claims; checked against the bytes
 * @param ptt      an audio sent as a voice note (default true for audio; always false for other types)
 * @param gif      a video played as a GIF (default false)
 * @param waveform a voice note's waveform as the caller gives it (64 numbers 0–100); the gateway computes none,
 *                 as that would take decoding the Opus audio
 */
public record MediaContent(MediaType kind, Source source, Optional<String> caption, Optional<String> fileName,
                           Optional<String> mimeType, boolean ptt, boolean gif, Optional<Waveform> waveform)
        implements OutgoingContent {

    /** A media send without a waveform. */
    public MediaContent(MediaType kind, Source source, Optional<String> caption, Optional<String> fileName,
                        Optional<String> mimeType, boolean ptt, boolean gif) {
        this(kind, source, caption, fileName, mimeType, ptt, gif, Optional.empty());
    }

    /** The longest caption, in characters (as long as a text). */
    public static final int MAX_CAPTION = TextContent.MAX_CODE_POINTS;

    public MediaContent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(caption, "caption");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(mimeType, "mimeType");
        Objects.requireNonNull(waveform, "waveform");
        if (ptt && kind != MediaType.AUDIO || gif && kind != MediaType.VIDEO) {
            throw new IllegalArgumentException("ptt is for audio, gif for video");
        }
        if (waveform.isPresent() && !ptt) {
            throw new IllegalArgumentException("a waveform is for voice notes");
        }
    }

    @Override
    public String type() {
        return kind.wireName();
    }

    /** Where the file comes from. */
    public sealed interface Source {
        /** A URL the gateway fetches (http or https). */
        record Url(String url) implements Source {
            public Url {
                Objects.requireNonNull(url, "url");
            }
        }

        /** The bytes given inline, base64-decoded. */
        record Inline(byte[] bytes) implements Source {
            public Inline {
                bytes = bytes.clone();
            }

            @Override
            public byte[] bytes() {
                return bytes.clone();
            }

            @Override
            public boolean equals(Object other) {
                return other instanceof Inline that && Arrays.equals(bytes, that.bytes);
            }

            @Override
            public int hashCode() {
                return Arrays.hashCode(bytes);
            }

            @Override
            public String toString() {
                return "Inline[" + bytes.length + " bytes]";
            }
        }
    }

    /** {@code data:<mime>[;param=value…];base64,} at the start of a {@code base64} field; group 1 the MIME type. */
    private static final java.util.regex.Pattern DATA_URL =
            java.util.regex.Pattern.compile("(?i)data:([\\w.+-]+/[\\w.+-]+|)(?:;[^,;]*)*?;base64,");

    /**
     * A file name as it may go to a recipient: its last path segment (after any {@code /} or {@code \\}), without
     * control, format (bidirectional overrides) or other non-printing characters ({@code \\p{C}}), stripped; empty
     * when nothing is left or it is {@code .} or {@code ..}. {@code "../../etc/passwd"} is {@code "passwd"}.
     */
    public static Optional<String> safeFileName(String name) {
        var cleaned = name.replaceAll("\\p{C}", "");
        var last = cleaned.substring(Math.max(cleaned.lastIndexOf('/'), cleaned.lastIndexOf('\\')) + 1).strip();
        return last.isEmpty() || last.equals(".") || last.equals("..") ? Optional.empty() : Optional.of(last);
    }

    /**
     * Checks the fields of a media send as the API names them: {@code url} xor {@code base64} (valid base64 of at
     * least one byte), {@code caption} only where the type shows one, {@code ptt} only for audio, {@code gif} only
     * for video, {@code waveform} (64 numbers 0–100) only for a voice note. Returns null when there was a problem
     * (added to {@code problems}).
     */
    static MediaContent check(Violations problems, MediaType kind, String url, String base64, String caption,
                              String fileName, String mimeType, Boolean ptt, Boolean gif, List<Integer> waveform) {
        int before = problems.size();
        Source source = null;
        if ((url == null) == (base64 == null)) {
            problems.add("url", "give exactly one of url and base64");
        } else if (url != null) {
            problems.check(url.matches("(?i)https?://\\S+"), "url", "must be an http or https URL");
            source = new Source.Url(url);
        } else {
            try {
                var dataUrl = DATA_URL.matcher(base64.strip());
                if (dataUrl.lookingAt()) {
                    // API.md: a data URL's MIME type is a hint, as mime_type is (the bytes decide)
                    if (mimeType == null && !dataUrl.group(1).isEmpty()) {
                        mimeType = dataUrl.group(1);
                    }
                    base64 = base64.strip().substring(dataUrl.end());
                }
                var bytes = Base64.getDecoder().decode(base64.replaceAll("\\s", ""));
                problems.check(bytes.length > 0, "base64", "must not be empty (a 0-byte file)");
                source = new Source.Inline(bytes);
            } catch (IllegalArgumentException e) {
                problems.add("base64", "is not valid base64");
            }
        }
        problems.check(caption == null || kind == MediaType.IMAGE || kind == MediaType.VIDEO
                || kind == MediaType.DOCUMENT, "caption", "is for images, videos and documents");
        problems.check(caption == null || caption.codePointCount(0, caption.length()) <= MAX_CAPTION, "caption",
                "must be at most " + MAX_CAPTION + " characters");
        problems.check(fileName == null || !fileName.isBlank() && fileName.length() <= 255, "file_name",
                "must be 1 to 255 characters");
        if (fileName != null && !fileName.isBlank()) {
            var safe = safeFileName(fileName);
            problems.check(safe.isPresent(), "file_name", "'" + fileName.replaceAll("\\p{C}", "?")
                    + "' names no file (nothing is left once its path and control characters are removed)");
            fileName = safe.orElse(null);
        }
        problems.check(mimeType == null || mimeType.matches("[\\w.+-]+/[\\w.+-]+(;.*)?"), "mime_type",
                "must be a MIME type like image/jpeg");
        problems.check(ptt == null || kind == MediaType.AUDIO, "ptt", "is for audio");
        problems.check(gif == null || kind == MediaType.VIDEO, "gif", "is for video");
        boolean voiceNote = kind == MediaType.AUDIO && (ptt == null || ptt);
        problems.check(waveform == null || voiceNote, "waveform", "is for voice notes (audio with ptt)");
        var samples = voiceNote ? Waveform.check(problems, waveform) : null;
        if (problems.size() > before) {
            return null;
        }
        return new MediaContent(kind, source, Optional.ofNullable(caption).filter(c -> !c.isBlank()),
                Optional.ofNullable(fileName), Optional.ofNullable(mimeType),
                voiceNote, kind == MediaType.VIDEO && gif != null && gif, Optional.ofNullable(samples));
    }
}
