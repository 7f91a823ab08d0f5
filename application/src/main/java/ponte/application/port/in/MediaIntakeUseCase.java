package ponte.application.port.in;

import ponte.application.model.MediaIntake;

/**
 * Takes the file of a media send ({@code url} xor {@code base64}), checks it against the chosen type and describes
 * it, before anything is queued. Every refusal is a {@link ponte.domain.validation.ValidationException} naming the
 * field (400): a refused or unreachable URL, a timeout, more than 100 MB, base64 that is not base64, an empty file,
 * bytes that are not of the chosen type, a sticker that is not WebP, a voice note that is not Ogg/Opus.
 */
public interface MediaIntakeUseCase {

    /** The checked file and its description; the caller owns (and deletes) {@link MediaIntake#file()}. */
    MediaIntake accept(MediaSource source);

    /**
     * What a send names.
     *
     * @param type     {@code image}, {@code video}, {@code audio}, {@code document} or {@code sticker}
     * @param url      the file's URL, or null
     * @param base64   the file's bytes in base64 (a {@code data:…;base64,} prefix is accepted), or null
     * @param mimeType the type the caller says it is, or null; it must agree with the bytes
     * @param fileName the file name to show, or null
     * @param ptt      for audio: a voice note (must be Ogg/Opus)
     */
    record MediaSource(String type, String url, String base64, String mimeType, String fileName, boolean ptt) {}
}
