package ponte.application.model;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A checked media file ready for {@code MediaTransferPort.upload}: where its bytes are and what the media message
 * will say of it.
 *
 * @param type      the API type: image, video, audio, document or sticker
 * @param mimeType  the MIME type detected from the bytes (for a document, the declared one when detection only
 *                  found a container); a voice note's is {@code audio/ogg; codecs=opus}
 * @param sha256    hex SHA-256 of the bytes
 * @param thumbnail a small JPEG, for pictures
 * @param durationS how long an audio or video plays, in seconds, when the file says ({@code MediaProbe})
 * @param pageCount a PDF document's pages, when it can be read
 * @param animated  a sticker whose WebP bytes are animated ({@code MediaProbe#animated})
 */
public record MediaIntake(Path file, String type, String mimeType, long size, String sha256,
                          Optional<String> fileName, OptionalInt width, OptionalInt height,
                          Optional<byte[]> thumbnail, boolean ptt, OptionalInt durationS, OptionalInt pageCount,
                          boolean animated) {}
