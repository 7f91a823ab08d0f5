package ponte.adapters.whatsapp.client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The WhatsApp Web build we claim to be. WhatsApp refuses builds it considers outdated with failure 405, so this
 * is configuration; the default is the build whatsmeow shipped with (store/clientpayload.go).
 */
public record WaVersion(int primary, int secondary, long tertiary) {

    public static final WaVersion DEFAULT = new WaVersion(2, 3000, 1045649367L);

    public WaVersion {
        if (primary < 0 || secondary < 0 || tertiary < 0 || tertiary > 0xffffffffL) {
            throw new IllegalArgumentException("version parts must be unsigned 32-bit numbers");
        }
    }

    /** Parses {@code 2.3000.1045649367}. */
    public static WaVersion parse(String text) {
        String[] parts = text.trim().split("\\.");
        if (parts.length != 3) {
            throw new IllegalArgumentException("a WhatsApp Web version looks like 2.3000.1045649367, got " + text);
        }
        try {
            return new WaVersion(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Long.parseLong(parts[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a WhatsApp Web version looks like 2.3000.1045649367, got " + text, e);
        }
    }

    /** MD5 of the dotted version, sent as the registration's build hash. */
    public byte[] buildHash() {
        try {
            return MessageDigest.getInstance("MD5").digest(toString().getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return primary + "." + secondary + "." + tertiary;
    }
}
