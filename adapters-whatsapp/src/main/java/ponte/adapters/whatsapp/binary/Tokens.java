package ponte.adapters.whatsapp.binary;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * WhatsApp's token dictionaries, version 3: 236 single-byte tokens (index 0 unused) and four double-byte
 * dictionaries of 256. The lists are protocol facts, byte-identical in whatsmeow and Baileys.
 */
final class Tokens {

    private static final List<String> SINGLE = load("single-byte-tokens-v3.txt", 236);
    private static final List<String> DOUBLE = load("double-byte-tokens-v3.txt", 4 * 256);
    private static final Map<String, Integer> SINGLE_INDEX = index(SINGLE, 1);
    private static final Map<String, Integer> DOUBLE_INDEX = index(DOUBLE, 0);

    private Tokens() {
    }

    static int singleByteCount() {
        return SINGLE.size();
    }

    /** The single-byte token index of a string, or -1. */
    static int singleIndex(String value) {
        return SINGLE_INDEX.getOrDefault(value, -1);
    }

    /** {@code dictionary * 256 + index} of a double-byte token, or -1. */
    static int doubleIndex(String value) {
        return DOUBLE_INDEX.getOrDefault(value, -1);
    }

    static String single(int index) {
        if (index < 1 || index >= SINGLE.size()) {
            throw new DecodeException("no single-byte token " + index);
        }
        return SINGLE.get(index);
    }

    static String doubleByte(int dictionary, int index) {
        if (dictionary < 0 || dictionary > 3 || index < 0 || index > 255) {
            throw new DecodeException("no double-byte token " + dictionary + "/" + index);
        }
        return DOUBLE.get(dictionary * 256 + index);
    }

    private static Map<String, Integer> index(List<String> tokens, int from) {
        Map<String, Integer> map = new HashMap<>();
        for (int i = from; i < tokens.size(); i++) {
            map.putIfAbsent(tokens.get(i), i);
        }
        return Map.copyOf(map);
    }

    private static List<String> load(String resource, int expected) {
        try (InputStream in = Tokens.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("token dictionary " + resource + " is missing");
            }
            var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<String> tokens = reader.lines().toList();
            if (tokens.size() != expected) {
                throw new IllegalStateException(resource + " has " + tokens.size() + " tokens, expected " + expected);
            }
            return tokens;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
