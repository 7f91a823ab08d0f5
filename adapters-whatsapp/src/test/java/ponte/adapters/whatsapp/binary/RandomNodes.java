package ponte.adapters.whatsapp.binary;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random node trees covering every encoding path: single- and double-byte tokens, nibble and hex packing, raw
 * strings of each length class, JID pairs and AD JIDs on every domain, binary content and nesting.
 * Attribute keys are never integer-like, because JavaScript objects reorder those and the oracle is Baileys.
 */
public final class RandomNodes {

    private static final String[] SERVERS = {"s.whatsapp.net", "g.us", "broadcast", "newsletter", "c.us", "call"};
    private static final String[] AD_SERVERS = {"s.whatsapp.net", "lid", "hosted", "hosted.lid"};
    private final Random random;

    public RandomNodes(long seed) {
        this.random = new Random(seed);
    }

    public Node tree(int depth) {
        String tag = nonNumericString();
        Map<String, String> attrs = new LinkedHashMap<>();
        int count = random.nextInt(5);
        for (int i = 0; i < count; i++) {
            attrs.put(nonNumericString(), value());
        }
        return switch (random.nextInt(depth > 0 ? 5 : 3)) {
            case 0 -> Node.of(tag, attrs);
            case 1 -> Node.withText(tag, attrs, value());
            case 2 -> Node.withBytes(tag, attrs, bytes());
            default -> {
                List<Node> children = new ArrayList<>();
                int n = random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    children.add(tree(depth - 1));
                }
                yield Node.withChildren(tag, attrs, children);
            }
        };
    }

    public String value() {
        return switch (random.nextInt(12)) {
            case 0 -> Tokens.single(1 + random.nextInt(Tokens.singleByteCount() - 1));
            case 1 -> Tokens.doubleByte(random.nextInt(4), random.nextInt(256));
            case 2 -> chars("0123456789-.", 1 + random.nextInt(Tags.PACKED_MAX));
            case 3 -> chars("0123456789ABCDEF", 1 + random.nextInt(Tags.PACKED_MAX));
            case 4 -> chars("0123456789", Tags.PACKED_MAX + 1 + random.nextInt(40));
            case 5 -> digits() + "@" + SERVERS[random.nextInt(SERVERS.length)];
            case 6 -> digits() + ":" + (1 + random.nextInt(99)) + "@" + AD_SERVERS[random.nextInt(AD_SERVERS.length)];
            case 7 -> "@" + SERVERS[random.nextInt(SERVERS.length)];
            case 8 -> "";
            case 9 -> chars("abcdefghijklmnopqrstuvwxyz_ ", 1 + random.nextInt(300));
            case 10 -> "ünïcødé " + random.nextInt(1000) + " ✓";
            default -> chars("abcdef0123456789", 1 + random.nextInt(64));
        };
    }

    private String nonNumericString() {
        while (true) {
            String candidate = value();
            if (!candidate.isEmpty() && !candidate.matches("0|[1-9][0-9]*")) {
                return candidate;
            }
        }
    }

    private byte[] bytes() {
        int length = switch (random.nextInt(10)) {
            case 0 -> 0;
            case 1 -> 256 + random.nextInt(5000);
            default -> random.nextInt(256);
        };
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private String digits() {
        return chars("0123456789", 5 + random.nextInt(15));
    }

    private String chars(String alphabet, int length) {
        var out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
