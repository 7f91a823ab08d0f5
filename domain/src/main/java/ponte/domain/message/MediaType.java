package ponte.domain.message;

import java.util.Locale;
import java.util.Optional;

/**
 * The media families of API.md "Messages": each is one API {@code type} ({@code image}, {@code video},
 * {@code audio}, {@code document}, {@code sticker}) and one WhatsApp message shape ({@code imageMessage}, …). A GIF
 * is a video with {@code gif}, a voice note an audio with {@code ptt}.
 */
public enum MediaType {
    IMAGE, VIDEO, AUDIO, DOCUMENT, STICKER;

    /** The API's {@code type}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The media type of an API {@code type}, or empty when {@code type} is not a media type. */
    public static Optional<MediaType> fromWireName(String type) {
        for (var kind : values()) {
            if (kind.wireName().equals(type)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
