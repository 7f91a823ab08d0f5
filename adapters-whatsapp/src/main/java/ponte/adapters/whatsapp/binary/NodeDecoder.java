package ponte.adapters.whatsapp.binary;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/** Reads WhatsApp's binary XML; JIDs come back in their text form, raw strings as bytes when they are content. */
public final class NodeDecoder {

    private static final int MAX_INFLATED = 64 << 20;
    /** Deeper than any stanza WhatsApp sends (a few levels); past it a crafted frame would overflow the stack. */
    static final int MAX_DEPTH = 64;

    private final byte[] data;
    private int index;
    private int depth;

    private NodeDecoder(byte[] data) {
        this.data = data;
    }

    /** Decodes a decrypted frame: the flag byte says whether the rest is zlib-compressed (flag bit 2). */
    public static Node unmarshal(byte[] frame) {
        if (frame.length == 0) {
            throw new DecodeException("empty frame");
        }
        byte[] body = Arrays.copyOfRange(frame, 1, frame.length);
        if ((frame[0] & 2) != 0) {
            body = inflate(body);
        }
        return decode(body);
    }

    public static Node decode(byte[] bytes) {
        NodeDecoder decoder = new NodeDecoder(bytes);
        Node node = decoder.readNode();
        if (decoder.index != bytes.length) {
            throw new DecodeException((bytes.length - decoder.index) + " bytes left after the node");
        }
        return node;
    }

    private Node readNode() {
        if (++depth > MAX_DEPTH) {
            throw new DecodeException("nodes nested deeper than " + MAX_DEPTH);
        }
        Node node = readNodeBody();
        depth--;
        return node;
    }

    private Node readNodeBody() {
        int size = readListSize(readByte());
        if (size == 0) {
            throw new DecodeException("a node cannot be an empty list");
        }
        String tag = readString(readByte());
        if (tag.isEmpty()) {
            throw new DecodeException("a node needs a tag");
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 0; i < (size - 1) / 2; i++) {
            String key = readString(readByte());
            attributes.put(key, readString(readByte()));
        }
        if (size % 2 == 1) {
            return Node.of(tag, attributes);
        }
        int contentTag = readByte();
        return switch (contentTag) {
            case Tags.LIST_EMPTY, Tags.LIST_8, Tags.LIST_16 -> {
                int count = readListSize(contentTag);
                // a child takes at least two bytes: a count that lies allocates no more than the bytes left allow
                List<Node> children = new ArrayList<>(Math.min(count, (data.length - index) / 2));
                for (int i = 0; i < count; i++) {
                    children.add(readNode());
                }
                yield Node.withChildren(tag, attributes, children);
            }
            case Tags.BINARY_8 -> Node.withBytes(tag, attributes, readBytes(readByte()));
            case Tags.BINARY_20 -> Node.withBytes(tag, attributes, readBytes(readInt20()));
            case Tags.BINARY_32 -> Node.withBytes(tag, attributes, readBytes(readInt(4)));
            default -> Node.withText(tag, attributes, readString(contentTag));
        };
    }

    private int readListSize(int tag) {
        return switch (tag) {
            case Tags.LIST_EMPTY -> 0;
            case Tags.LIST_8 -> readByte();
            case Tags.LIST_16 -> readInt(2);
            default -> throw new DecodeException("expected a list, got tag " + tag);
        };
    }

    private String readString(int tag) {
        if (tag >= 1 && tag < Tokens.singleByteCount()) {
            return Tokens.single(tag);
        }
        return switch (tag) {
            case Tags.LIST_EMPTY -> "";
            case 236, 237, 238, Tags.DICTIONARY_3 -> Tokens.doubleByte(tag - Tags.DICTIONARY_0, readByte());
            case Tags.BINARY_8 -> utf8(readBytes(readByte()));
            case Tags.BINARY_20 -> utf8(readBytes(readInt20()));
            case Tags.BINARY_32 -> utf8(readBytes(readInt(4)));
            case Tags.NIBBLE_8, Tags.HEX_8 -> readPacked(tag);
            case Tags.JID_PAIR -> readJidPair();
            case Tags.AD_JID -> readAdJid();
            case Tags.FB_JID -> readFbJid();
            case Tags.INTEROP_JID -> readInteropJid();
            default -> throw new DecodeException("invalid string tag " + tag);
        };
    }

    private String readJidPair() {
        String user = readString(readByte());
        String server = readString(readByte());
        if (server.isEmpty()) {
            throw new DecodeException("a JID pair needs a server");
        }
        return user + "@" + server;
    }

    private String readAdJid() {
        int domain = readByte();
        int device = readByte();
        String user = readString(readByte());
        return Jid.device(user, device, Jid.serverForDomain(domain)).toString();
    }

    private String readFbJid() {
        String user = readString(readByte());
        int device = readInt(2);
        String server = readString(readByte());
        return user + ":" + device + "@" + server;
    }

    private String readInteropJid() {
        String user = readString(readByte());
        int device = readInt(2);
        int integrator = readInt(2);
        String server = readString(readByte());
        return integrator + "-" + user + ":" + device + "@" + server;
    }

    private String readPacked(int tag) {
        int start = readByte();
        var text = new StringBuilder();
        for (int i = 0; i < (start & 0x7f); i++) {
            int b = readByte();
            text.append(unpack(tag, b >>> 4)).append(unpack(tag, b & 0x0f));
        }
        if ((start & 0x80) != 0) {
            if (text.isEmpty()) {
                throw new DecodeException("a packed string of no bytes cannot drop its last digit");
            }
            text.setLength(text.length() - 1);
        }
        return text.toString();
    }

    private static char unpack(int tag, int value) {
        if (value < 10) {
            return (char) ('0' + value);
        }
        if (tag == Tags.HEX_8) {
            return (char) ('A' + value - 10);
        }
        return switch (value) {
            case 10 -> '-';
            case 11 -> '.';
            case 15 -> '\0';
            default -> throw new DecodeException("invalid nibble " + value);
        };
    }

    private int readByte() {
        ensure(1);
        return data[index++] & 0xff;
    }

    private int readInt(int bytes) {
        ensure(bytes);
        int value = 0;
        for (int i = 0; i < bytes; i++) {
            value = value << 8 | data[index++] & 0xff;
        }
        return value;
    }

    private int readInt20() {
        ensure(3);
        return (data[index++] & 0x0f) << 16 | (data[index++] & 0xff) << 8 | data[index++] & 0xff;
    }

    private byte[] readBytes(int length) {
        if (length < 0) {
            throw new DecodeException("negative length");
        }
        ensure(length);
        byte[] out = Arrays.copyOfRange(data, index, index + length);
        index += length;
        return out;
    }

    private void ensure(int length) {
        if (length > data.length - index) { // index + length overflows for a length near 2^31
            throw new DecodeException("unexpected end of node data");
        }
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] inflate(byte[] compressed) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(compressed);
            var out = new ByteArrayOutputStream(compressed.length * 4);
            byte[] buffer = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new DecodeException("truncated zlib frame");
                }
                out.write(buffer, 0, n);
                if (out.size() > MAX_INFLATED) {
                    throw new DecodeException("compressed frame inflates beyond " + MAX_INFLATED + " bytes");
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new DecodeException("invalid zlib frame", e);
        } finally {
            inflater.end();
        }
    }
}
