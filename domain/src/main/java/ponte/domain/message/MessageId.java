package ponte.domain.message;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;
import ponte.domain.validation.ValidationException;

/**
 * A WhatsApp message id, the one every receipt, edit, reaction and event carries. Ids are chosen by the sending
 * client, so the shape varies with it: WhatsApp Web's {@code 3EB0} + 18 uppercase hex, Android's 32 uppercase hex,
 * iOS's {@code 3A} + 18 hex, older clients' {@code BAE5…}. Accepted: 1-128 characters of A-Z, a-z, 0-9, '.', '_',
 * ':' or '-', which covers them all and rules out anything that could not travel in a stanza attribute or a URL path.
 */
public record MessageId(String value) {
    private static final Pattern SHAPE = Pattern.compile("[0-9A-Za-z._:-]{1,128}");
    /** Bytes of randomness {@link #generate} takes, as WhatsApp Web uses. */
    public static final int RANDOM_BYTES = 16;

    public MessageId {
        Objects.requireNonNull(value, "value");
        if (!SHAPE.matcher(value).matches()) {
            throw new IllegalArgumentException("not a message id: " + value);
        }
    }

    /** Reads an id given in the API's {@code field}; a wrong shape is a validation error on it. */
    public static MessageId parse(String field, String text) {
        if (text == null || !SHAPE.matcher(text).matches()) {
            throw ValidationException.of(field, "must be a WhatsApp message id: 1-128 characters of A-Z, a-z, 0-9, "
                    + "'.', '_', ':' or '-'");
        }
        return new MessageId(text);
    }

    /**
     * The id WhatsApp Web gives a message it sends: {@code "3EB0"} + the first 9 bytes, as uppercase hex, of
     * SHA-256(unix seconds as 8 bytes big-endian ‖ own user + {@code "@c.us"} ‖ 16 random bytes) — 22 characters
     * (protocol.md §1.7 "Message IDs", from whatsmeow {@code send.go GenerateMessageIDV2} and Baileys
     * {@code generateMessageIDV2}). The caller fixes it once, before the first try, so a resend after a crash is
     * the same message to WhatsApp.
     *
     * @param now    the time of sending (only its whole seconds are used)
     * @param own    our account (its device part is ignored)
     * @param random {@value #RANDOM_BYTES} bytes from a secure random source
     */
    public static MessageId generate(Instant now, Jid own, byte[] random) {
        if (random.length != RANDOM_BYTES) {
            throw new IllegalArgumentException("a message id takes " + RANDOM_BYTES + " random bytes");
        }
        var user = (own.user() + "@c.us").getBytes(StandardCharsets.US_ASCII);
        var input = ByteBuffer.allocate(Long.BYTES + user.length + random.length)
                .putLong(now.getEpochSecond()).put(user).put(random).array();
        try {
            var hash = MessageDigest.getInstance("SHA-256").digest(input);
            return new MessageId("3EB0" + HexFormat.of().withUpperCase().formatHex(hash, 0, 9));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
