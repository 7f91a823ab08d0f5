package ponte.adapters.whatsapp.binary;

import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One element of WhatsApp's binary XML. Attributes keep insertion order, because the encoding writes them in
 * that order and byte-exact comparisons depend on it. Content is absent, text, raw bytes or child nodes.
 */
public final class Node {

    private final String tag;
    private final Map<String, String> attributes;
    private final Object content;

    private Node(String tag, Map<String, String> attributes, Object content) {
        if (tag == null || tag.isEmpty()) {
            throw new IllegalArgumentException("a node needs a tag");
        }
        this.tag = tag;
        this.attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        this.content = content;
    }

    public static Node of(String tag) {
        return new Node(tag, Map.of(), null);
    }

    public static Node of(String tag, Map<String, String> attributes) {
        return new Node(tag, attributes, null);
    }

    public static Node withChildren(String tag, Map<String, String> attributes, List<Node> children) {
        return new Node(tag, attributes, List.copyOf(children));
    }

    public static Node withBytes(String tag, Map<String, String> attributes, byte[] bytes) {
        return new Node(tag, attributes, bytes.clone());
    }

    public static Node withText(String tag, Map<String, String> attributes, String text) {
        return new Node(tag, attributes, Objects.requireNonNull(text));
    }

    /** Attributes in the order given; use with {@link java.util.LinkedHashMap} or this helper. */
    public static Map<String, String> attrs(String... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come in key/value pairs");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    public String tag() {
        return tag;
    }

    public Map<String, String> attributes() {
        return attributes;
    }

    public Optional<String> attribute(String key) {
        return Optional.ofNullable(attributes.get(key));
    }

    public String attributeOr(String key, String fallback) {
        return attributes.getOrDefault(key, fallback);
    }

    public boolean hasContent() {
        return content != null;
    }

    public boolean hasText() {
        return content instanceof String;
    }

    public boolean hasBytes() {
        return content instanceof byte[];
    }

    @SuppressWarnings("unchecked")
    public List<Node> children() {
        return content instanceof List<?> list ? (List<Node>) list : List.of();
    }

    public Optional<Node> child(String childTag) {
        return children().stream().filter(n -> n.tag.equals(childTag)).findFirst();
    }

    /** Raw content bytes; text content is returned as its UTF-8 bytes, as the wire does not tell them apart. */
    public Optional<byte[]> bytes() {
        if (content instanceof byte[] b) {
            return Optional.of(b.clone());
        }
        if (content instanceof String s) {
            return Optional.of(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return Optional.empty();
    }

    public Optional<String> text() {
        if (content instanceof String s) {
            return Optional.of(s);
        }
        if (content instanceof byte[] b) {
            return Optional.of(new String(b, java.nio.charset.StandardCharsets.UTF_8));
        }
        return Optional.empty();
    }

    Object rawContent() {
        return content;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Node that)) {
            return false;
        }
        // attribute order is part of a node's identity: it decides the encoded bytes
        boolean sameAttributes = List.copyOf(attributes.entrySet()).equals(List.copyOf(that.attributes.entrySet()));
        if (!tag.equals(that.tag) || !sameAttributes) {
            return false;
        }
        if (content instanceof byte[] mine && that.content instanceof byte[] theirs) {
            return Arrays.equals(mine, theirs);
        }
        return Objects.equals(content, that.content);
    }

    @Override
    public int hashCode() {
        int contentHash = content instanceof byte[] b ? Arrays.hashCode(b) : Objects.hashCode(content);
        return Objects.hash(tag, attributes, contentHash);
    }

    @Override
    public String toString() {
        var out = new StringBuilder("<").append(tag);
        attributes.forEach((k, v) -> out.append(' ').append(k).append("=\"").append(v).append('"'));
        if (content == null) {
            return out.append("/>").toString();
        }
        out.append('>');
        if (content instanceof byte[] b) {
            out.append("<!-- ").append(b.length).append(" bytes: ")
                    .append(HexFormat.of().formatHex(b, 0, Math.min(b.length, 32))).append(" -->");
        } else if (content instanceof String s) {
            out.append(s);
        } else {
            children().forEach(out::append);
        }
        return out.append("</").append(tag).append('>').toString();
    }
}
