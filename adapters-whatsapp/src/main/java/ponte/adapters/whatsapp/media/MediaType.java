package ponte.adapters.whatsapp.media;

import java.nio.charset.StandardCharsets;

/**
 * The wire's media types, each with the HKDF info its keys are expanded with and the path it is uploaded under
 * (protocol.md §1.16, from whatsmeow {@code download.go} and Baileys {@code MEDIA_HKDF_KEY_MAPPING} /
 * {@code MEDIA_PATH_MAP}).
 */
public enum MediaType {
    IMAGE("image", "Image", "/mms/image"),
    STICKER("sticker", "Image", "/mms/image"),
    VIDEO("video", "Video", "/mms/video"),
    GIF("gif", "Video", "/mms/video"),
    PTV("ptv", "Video", "/mms/video"),
    AUDIO("audio", "Audio", "/mms/audio"),
    PTT("ptt", "Audio", "/mms/audio"),
    DOCUMENT("document", "Document", "/mms/document"),
    HISTORY("md-msg-hist", "History", "/mms/md-msg-hist"),
    APP_STATE("md-app-state", "App State", "/mms/md-app-state"),
    THUMBNAIL_LINK("thumbnail-link", "Link Thumbnail", "/mms/image");

    private final String wireName;
    private final byte[] hkdfInfo;
    private final String uploadPath;

    MediaType(String wireName, String keyName, String uploadPath) {
        this.wireName = wireName;
        this.hkdfInfo = ("WhatsApp " + keyName + " Keys").getBytes(StandardCharsets.UTF_8);
        this.uploadPath = uploadPath;
    }

    /** The name Baileys and WhatsApp Web use for the type, e.g. {@code md-msg-hist}. */
    public String wireName() {
        return wireName;
    }

    /** {@code "WhatsApp <X> Keys"}, the HKDF info of this type's media keys. */
    public byte[] hkdfInfo() {
        return hkdfInfo.clone();
    }

    /** The upload path on the media host, {@code /mms/<kind>}; the encrypted hash token follows it. */
    public String uploadPath() {
        return uploadPath;
    }

    /** The type whose upload path ends with {@code kind} ({@code image}, {@code md-msg-hist}, …), if any. */
    public static java.util.Optional<MediaType> byUploadKind(String kind) {
        for (MediaType type : values()) {
            if (type.uploadPath.equals("/mms/" + kind)) {
                return java.util.Optional.of(type);
            }
        }
        return java.util.Optional.empty();
    }
}
