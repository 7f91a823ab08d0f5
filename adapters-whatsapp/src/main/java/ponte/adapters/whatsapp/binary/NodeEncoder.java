package ponte.adapters.whatsapp.binary;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes nodes in WhatsApp's binary XML, byte for byte as WhatsApp Web (and so Baileys) does: attributes in
 * insertion order, tokens before packing, packing before JIDs, JIDs before raw strings. Messenger and interop
 * JIDs get their own forms as in whatsmeow; Baileys cannot write those.
 */
public final class NodeEncoder {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private NodeEncoder() {
    }

    /** The frame payload for a node: a zero flag byte (never compressed) followed by the node. */
    public static byte[] marshal(Node node) {
        NodeEncoder encoder = new NodeEncoder();
        encoder.out.write(0);
        encoder.writeNode(node);
        return encoder.out.toByteArray();
    }

    /** The node alone, without the flag byte. */
    public static byte[] encode(Node node) {
        NodeEncoder encoder = new NodeEncoder();
        encoder.writeNode(node);
        return encoder.out.toByteArray();
    }

    private void writeNode(Node node) {
        Map<String, String> attributes = node.attributes();
        Object content = node.rawContent();
        writeListStart(1 + 2 * attributes.size() + (content == null ? 0 : 1));
        writeString(node.tag());
        attributes.forEach((key, value) -> {
            writeString(key);
            writeString(value);
        });
        switch (content) {
            case null -> {
            }
            case String text -> writeString(text);
            case byte[] bytes -> writeBytes(bytes);
            case List<?> children -> {
                writeListStart(children.size());
                children.forEach(child -> writeNode((Node) child));
            }
            default -> throw new IllegalStateException("unsupported content " + content.getClass());
        }
    }

    private void writeListStart(int size) {
        if (size == 0) {
            out.write(Tags.LIST_EMPTY);
        } else if (size < 256) {
            out.write(Tags.LIST_8);
            out.write(size);
        } else {
            out.write(Tags.LIST_16);
            out.write(size >>> 8);
            out.write(size);
        }
    }

    private void writeString(String value) {
        if (value.isEmpty()) {
            writeBytes(new byte[0]);
            return;
        }
        int single = Tokens.singleIndex(value);
        if (single > 0) {
            out.write(single);
            return;
        }
        int doubleByte = Tokens.doubleIndex(value);
        if (doubleByte >= 0) {
            out.write(Tags.DICTIONARY_0 + doubleByte / 256);
            out.write(doubleByte % 256);
            return;
        }
        if (isPackable(value, NodeEncoder::isNibbleChar)) {
            writePacked(value, Tags.NIBBLE_8);
            return;
        }
        if (isPackable(value, NodeEncoder::isHexChar)) {
            writePacked(value, Tags.HEX_8);
            return;
        }
        Optional<Jid> jid = Jid.parse(value);
        if (jid.isPresent()) {
            writeJid(jid.get());
            return;
        }
        writeBytes(value.getBytes(StandardCharsets.UTF_8));
    }

    private void writeJid(Jid jid) {
        if (jid.server().equals(Jid.MESSENGER_SERVER) && jid.hasDevice()) {
            out.write(Tags.FB_JID);
            writeString(jid.user());
            writeUint16(jid.device());
            writeString(jid.server());
        } else if (jid.server().equals(Jid.INTEROP_SERVER) && jid.hasDevice()) {
            out.write(Tags.INTEROP_JID);
            writeString(jid.user());
            writeUint16(jid.device());
            writeUint16(jid.integrator());
            writeString(jid.server());
        } else if (jid.hasDevice()) {
            out.write(Tags.AD_JID);
            out.write(jid.domain());
            out.write(jid.device());
            writeString(jid.user());
        } else {
            out.write(Tags.JID_PAIR);
            if (jid.user().isEmpty()) {
                out.write(Tags.LIST_EMPTY);
            } else {
                writeString(jid.user());
            }
            writeString(jid.server());
        }
    }

    private void writeUint16(int value) {
        out.write(value >>> 8);
        out.write(value);
    }

    private void writeBytes(byte[] bytes) {
        int length = bytes.length;
        if (length >= 1 << 20) {
            out.write(Tags.BINARY_32);
            out.write(length >>> 24);
            out.write(length >>> 16);
            out.write(length >>> 8);
            out.write(length);
        } else if (length >= 256) {
            out.write(Tags.BINARY_20);
            out.write((length >>> 16) & 0x0f);
            out.write(length >>> 8);
            out.write(length);
        } else {
            out.write(Tags.BINARY_8);
            out.write(length);
        }
        out.writeBytes(bytes);
    }

    private void writePacked(String value, int tag) {
        out.write(tag);
        int length = value.length();
        out.write((length + 1) / 2 | (length % 2 == 1 ? 0x80 : 0));
        for (int i = 0; i < length; i += 2) {
            int high = pack(value.charAt(i), tag);
            int low = i + 1 < length ? pack(value.charAt(i + 1), tag) : 0x0f;
            out.write(high << 4 | low);
        }
    }

    private static int pack(char c, int tag) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (tag == Tags.NIBBLE_8) {
            return c == '-' ? 10 : 11;
        }
        return 10 + c - 'A';
    }

    private static boolean isPackable(String value, CharTest test) {
        if (value.length() > Tags.PACKED_MAX) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (!test.accepts(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNibbleChar(char c) {
        return c >= '0' && c <= '9' || c == '-' || c == '.';
    }

    private static boolean isHexChar(char c) {
        return c >= '0' && c <= '9' || c >= 'A' && c <= 'F';
    }

    @FunctionalInterface
    private interface CharTest {
        boolean accepts(char c);
    }
}
