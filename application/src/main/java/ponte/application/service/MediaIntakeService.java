package ponte.application.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import ponte.application.model.MediaIntake;
import ponte.application.port.in.MediaIntakeUseCase;
import ponte.application.port.out.MediaFetcher;
import ponte.application.port.out.MediaProbe;
import ponte.domain.validation.ValidationException;

/**
 * Takes a media send's file from its {@code url} (through the SSRF guard, at most 100 MB) or its {@code base64},
 * detects its MIME type from the bytes and checks it fits the chosen type, and describes it (size, SHA-256, picture
 * size and thumbnail). Nothing is queued for a file refused here.
 */
final class MediaIntakeService implements MediaIntakeUseCase {
    /** WhatsApp's image thumbnails are small JPEGs; 100 px on the longest side is what its clients send. */
    static final int THUMBNAIL_SIDE = 100;
    /** What a voice note's media message says it is (WhatsApp clients send exactly this). */
    static final String VOICE_NOTE_MIME = "audio/ogg; codecs=opus";
    private static final Set<String> TYPES = Set.of("image", "video", "audio", "document", "sticker");
    private static final Pattern DATA_URL = Pattern.compile("^data:[^,;]*(;[^,;]*)*;base64,");
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]*={0,2}");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    /** What detection answers for a file it only knows as a container; the declared type is then believed. */
    private static final Set<String> GENERIC = Set.of("application/octet-stream", "application/zip",
            "application/x-tika-ooxml", "application/x-tika-msoffice", "text/plain", "application/x-tika-ooxml-protected");

    private final MediaFetcher fetcher;
    private final MediaProbe probe;
    private final MediaSettings settings;

    MediaIntakeService(MediaFetcher fetcher, MediaProbe probe, MediaSettings settings) {
        this.fetcher = fetcher;
        this.probe = probe;
        this.settings = settings;
    }

    @Override
    public MediaIntake accept(MediaSource source) {
        var type = source.type() == null ? "" : source.type().toLowerCase(Locale.ROOT);
        if (!TYPES.contains(type)) {
            throw ValidationException.of("type", "must be one of image, video, audio, document, sticker");
        }
        boolean hasUrl = source.url() != null && !source.url().isBlank();
        boolean hasBase64 = source.base64() != null && !source.base64().isBlank();
        if (hasUrl == hasBase64) {
            throw ValidationException.of(hasUrl ? "base64" : "url", "give exactly one of url and base64");
        }
        var declared = declaredMime(source.mimeType());
        var file = hasUrl ? fetch(source.url()) : decode(source.base64());
        return checked(file, type, declared, hasUrl ? "url" : "base64", source.fileName(), source.ptt());
    }

    /**
     * The intake of a validated media send ({@code POST …/messages/{image|…}}): its URL is fetched, or its decoded
     * bytes written to a file, and checked as {@link #accept(MediaSource)} does.
     */
    MediaIntake accept(ponte.domain.message.MediaContent content) {
        var type = content.kind().wireName();
        var declared = declaredMime(content.mimeType().orElse(null));
        return switch (content.source()) {
            case ponte.domain.message.MediaContent.Source.Url url ->
                    checked(fetch(url.url()), type, declared, "url", content.fileName().orElse(null), content.ptt());
            case ponte.domain.message.MediaContent.Source.Inline inline ->
                    checked(write(inline.bytes()), type, declared, "base64", content.fileName().orElse(null),
                            content.ptt());
        };
    }

    /** Describes {@code file}, or deletes it and throws when it is refused. */
    private MediaIntake checked(Path file, String type, Optional<String> declared, String field, String fileName,
                                boolean ptt) {
        try {
            var intake = describe(file, type, declared, field, fileName, ptt);
            file = null; // handed over
            return intake;
        } finally {
            if (file != null) {
                deleteQuietly(file);
            }
        }
    }

    private MediaIntake describe(Path file, String type, Optional<String> declared, String field, String name,
                                 boolean ptt) {
        long size = size(file);
        if (size == 0) {
            throw ValidationException.of(field, "is an empty file (0 bytes)");
        }
        var detected = probe.detect(file);
        var mime = switch (type) {
            case "sticker" -> {
                if (!detected.equals("image/webp")) {
                    throw ValidationException.of(field, "a sticker must be a WebP image; the bytes are " + detected);
                }
                yield detected;
            }
            case "audio" -> {
                if (ptt) {
                    if (!isOggOpus(detected)) {
                        throw ValidationException.of(field, "a voice note (ptt) must be Ogg/Opus audio; the bytes are "
                                + detected + " (send it with ptt:false, or convert it to Ogg/Opus)");
                    }
                    yield VOICE_NOTE_MIME;
                }
                yield requireFamily(field, "audio", detected, declared);
            }
            case "image" -> requireFamily(field, "image", detected, declared);
            case "video" -> requireFamily(field, "video", detected, declared);
            default -> GENERIC.contains(detected) ? declared.orElse(detected) : detected;
        };
        var picture = type.equals("image") ? probe.picture(file, THUMBNAIL_SIDE) : Optional.<MediaProbe.Picture>empty();
        var fileName = Optional.ofNullable(name).flatMap(ponte.domain.message.MediaContent::safeFileName);
        // the media message's seconds and page count, read from the file (the caller's word is not asked for)
        var duration = type.equals("audio") || type.equals("video") ? probe.durationSeconds(file, detected)
                : OptionalInt.empty();
        var pages = type.equals("document") ? probe.pageCount(file, detected) : OptionalInt.empty();
        // an animated sticker is sent with isAnimated, or the phone shows it as a still
        boolean animated = type.equals("sticker") && probe.animated(file, detected);
        return new MediaIntake(file, type, mime, size, sha256(file), fileName,
                picture.map(p -> OptionalInt.of(p.width())).orElse(OptionalInt.empty()),
                picture.map(p -> OptionalInt.of(p.height())).orElse(OptionalInt.empty()),
                picture.map(MediaProbe.Picture::thumbnail), ptt && type.equals("audio"), duration, pages, animated);
    }

    /** The bytes must be of the chosen type's family, and agree with a declared MIME type when one was given. */
    private static String requireFamily(String field, String family, String detected, Optional<String> declared) {
        if (!detected.startsWith(family + "/") && !(family.equals("audio") && detected.equals("application/ogg"))) {
            throw ValidationException.of(field, "the bytes are " + detected + ", not " + article(family) + " " + family);
        }
        if (declared.isPresent() && !declared.get().startsWith(family + "/")) {
            throw ValidationException.of("mime_type", "is " + declared.get() + ", which is not " + article(family)
                    + " " + family + " type");
        }
        return detected;
    }

    private static String article(String family) {
        return family.equals("image") || family.equals("audio") ? "an" : "a";
    }

    private static boolean isOggOpus(String detected) {
        return detected.equals("audio/opus") || detected.equals("audio/ogg; codecs=opus");
    }

    private static Optional<String> declaredMime(String mimeType) {
        if (mimeType == null || mimeType.isBlank()) {
            return Optional.empty();
        }
        var value = mimeType.strip().toLowerCase(Locale.ROOT);
        if (!value.matches("[a-z0-9.+-]+/[a-z0-9.+-]+(\\s*;.*)?")) {
            throw ValidationException.of("mime_type", "must be a MIME type like image/jpeg");
        }
        return Optional.of(value);
    }

    private Path fetch(String url) {
        var uri = settings.fetchPolicy().parse("url", url);
        try {
            return fetcher.fetch(uri, settings.maxFetchBytes()).file();
        } catch (MediaFetcher.FetchFailed e) {
            throw ValidationException.of("url", e.getMessage());
        }
    }

    private Path decode(String base64) {
        var text = DATA_URL.matcher(base64.strip()).replaceFirst("");
        text = WHITESPACE.matcher(text).replaceAll("");
        if (text.length() % 4 != 0 || !BASE64.matcher(text).matches()) {
            throw ValidationException.of("base64", "is not valid base64 (RFC 4648, standard alphabet, padded)");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text.getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw ValidationException.of("base64", "is not valid base64 (RFC 4648, standard alphabet, padded)");
        }
        return write(bytes);
    }

    private Path write(byte[] bytes) {
        if (bytes.length > settings.maxFetchBytes()) {
            throw ValidationException.of("base64", "is larger than " + settings.maxFetchBytes() + " bytes");
        }
        try {
            var file = Files.createTempFile("ponte-intake-", ".bin");
            Files.write(file, bytes);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the media file", e);
        }
    }

    static String sha256(Path file) {
        try (var in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the media file", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the media file", e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temporary file: the OS cleans its temp directory
        }
    }
}
