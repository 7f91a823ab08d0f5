package ponte.application.port.in;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import ponte.domain.auth.Principal;
import ponte.domain.message.MessageId;

/**
 * The media files of messages: stored once (in the instance's S3 bucket when configured, else the local media
 * store), served at {@code GET /v1/instances/{id}/media/{message_id}}, and embedded in events for subscribers that
 * asked for {@code media_base64}.
 */
public interface MediaUseCase {

    /**
     * Opens a message's file for the caller, whole or one byte range of it (RFC 9110 §14).
     *
     * @param range empty for the whole file
     * @throws ponte.application.error.NotFoundException            for another tenant's instance, or no such file
     * @throws ponte.application.error.RangeNotSatisfiableException  when the range lies outside the file
     */
    MediaContent open(Principal caller, String instance, String messageId, Optional<ByteRange> range);

    /**
     * Stores {@code file} as the media of message {@code id} (copying it; the caller keeps and deletes its file)
     * and records it; the returned URL is what the message's {@code media.url} says.
     *
     * @param at the message's time: it names the {@code <yyyy>/<mm>} of the key
     */
    StoredMedia store(UUID tenantId, UUID instanceId, MessageId id, Instant at, Path file, String mimeType,
                      Optional<String> fileName);

    /**
     * What an event's {@code media} gets for a subscriber with {@code media_base64}: the file's base64 when it is
     * stored and at most {@code PONTE_MEDIA_BASE64_MAX_BYTES}, else the reason it is left out.
     */
    Embedded embed(UUID tenantId, UUID instanceId, String messageId);

    /**
     * A byte range as a {@code Range: bytes=} header gives it: {@code first-last}, {@code first-} (to the end) or
     * {@code -suffix} (the last {@code suffix} bytes, {@code first} null).
     */
    record ByteRange(Long first, Long last) {
        public ByteRange {
            if (first == null && last == null) {
                throw new IllegalArgumentException("a range needs a first byte or a suffix length");
            }
        }
    }

    /**
     * An open file to send; the caller closes {@code body}.
     *
     * @param offset    the first byte sent
     * @param length    how many bytes {@code body} yields
     * @param totalSize the whole file's size
     * @param partial   whether this is a range (206) rather than the whole file (200)
     */
    record MediaContent(String mimeType, Optional<String> fileName, long offset, long length, long totalSize,
                        boolean partial, InputStream body) {}

    /** Where a file went: the URL the message's {@code media.url} carries, its size and hex SHA-256. */
    record StoredMedia(String url, long size, String sha256, String mimeType) {}

    /** Either {@code base64} or the reason it was left out ({@code too_large}, {@code unavailable}). */
    record Embedded(Optional<String> base64, Optional<String> omitted) {
        public static Embedded of(String base64) {
            return new Embedded(Optional.of(base64), Optional.empty());
        }

        public static Embedded omitted(String reason) {
            return new Embedded(Optional.empty(), Optional.of(reason));
        }
    }
}
