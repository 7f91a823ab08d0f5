package ponte.adapters.whatsapp.appstate;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A record's index as WhatsApp writes it: a JSON array of strings, e.g. {@code ["contact","1555@s.whatsapp.net"]}
 * or {@code ["label_jid","3","1555@s.whatsapp.net"]} (Baileys chat-utils.ts chatModificationToAppPatch). Only the
 * array-of-strings form is read; anything else is not an index.
 */
public final class SyncdIndex {

    private SyncdIndex() {
    }

    public static byte[] encode(List<String> parts) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append('"');
            for (char c : parts.get(i).toCharArray()) {
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }
        return out.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The strings of the array; {@link IllegalArgumentException} when it is not a JSON array of strings. */
    public static List<String> decode(byte[] json) {
        String text = new String(json, StandardCharsets.UTF_8).strip();
        if (!text.startsWith("[") || !text.endsWith("]")) {
            throw new IllegalArgumentException("an index is a JSON array");
        }
        List<String> parts = new ArrayList<>();
        int i = 1;
        int end = text.length() - 1;
        while (true) {
            i = skipSpace(text, i);
            if (i >= end) {
                return parts;
            }
            if (text.charAt(i) != '"') {
                throw new IllegalArgumentException("an index holds strings only");
            }
            StringBuilder part = new StringBuilder();
            i++;
            while (i < end && text.charAt(i) != '"') {
                char c = text.charAt(i++);
                if (c == '\\') {
                    char escaped = text.charAt(i++);
                    switch (escaped) {
                        case 'u' -> {
                            part.append((char) Integer.parseInt(text.substring(i, i + 4), 16));
                            i += 4;
                        }
                        case 'n' -> part.append('\n');
                        case 't' -> part.append('\t');
                        case 'r' -> part.append('\r');
                        case 'b' -> part.append('\b');
                        case 'f' -> part.append('\f');
                        default -> part.append(escaped);
                    }
                } else {
                    part.append(c);
                }
            }
            if (i >= end) {
                throw new IllegalArgumentException("an unterminated string in an index");
            }
            parts.add(part.toString());
            i = skipSpace(text, i + 1);
            if (i < end && text.charAt(i) != ',') {
                throw new IllegalArgumentException("index strings are separated by commas");
            }
            i++;
        }
    }

    private static int skipSpace(String text, int i) {
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }
}
