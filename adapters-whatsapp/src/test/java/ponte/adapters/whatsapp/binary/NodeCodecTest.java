package ponte.adapters.whatsapp.binary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

class NodeCodecTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void adJidsUseTheDomainByteAndPackedUser() {
        Node node = Node.of("iq", Node.attrs("id", "123456789:12@s.whatsapp.net", "to", "987654321:3@lid"));

        assertThat(HEX.formatHex(NodeEncoder.encode(node)))
                .isEqualTo("f80519" + "08" + "f7000cff85123456789f" + "11" + "f70103ff85987654321f");
    }

    @Test
    void tokensArePreferredAndDoubleByteTokensNameTheirDictionary() {
        Node node = Node.of("iq", Node.attrs("type", "read-self"));

        assertThat(HEX.formatHex(NodeEncoder.encode(node))).isEqualTo("f80319" + "04" + "ec00");
    }

    @Test
    void oddLengthPackedStringsSetTheHighBitAndPadWithF() {
        Node nibble = Node.withText("t", Map.of(), "1.2-3");
        Node hex = Node.withText("t", Map.of(), "ABC");

        assertThat(HEX.formatHex(NodeEncoder.encode(nibble))).endsWith("ff83" + "1b2a3f");
        assertThat(HEX.formatHex(NodeEncoder.encode(hex))).endsWith("fb82" + "abcf");
    }

    @Test
    void lowercaseHexIsNotPackedButWrittenRaw() {
        Node node = Node.withText("t", Map.of(), "abc");

        assertThat(HEX.formatHex(NodeEncoder.encode(node))).endsWith("fc03616263");
    }

    @Test
    void binaryLengthsSwitchToTwentyBitsAt256AndThirtyTwoBitsAtOneMebibyte() {
        assertThat(NodeEncoder.encode(Node.withBytes("t", Map.of(), new byte[255]))[3] & 0xff).isEqualTo(252);
        assertThat(NodeEncoder.encode(Node.withBytes("t", Map.of(), new byte[256]))[3] & 0xff).isEqualTo(253);
        assertThat(NodeEncoder.encode(Node.withBytes("t", Map.of(), new byte[1 << 20]))[3] & 0xff).isEqualTo(254);
    }

    @Test
    void decodingReturnsEveryEncodedTreeWithAttributeOrderIntact() {
        RandomNodes nodes = new RandomNodes(42);
        for (int i = 0; i < 2000; i++) {
            Node node = nodes.tree(3);
            Node decoded = NodeDecoder.unmarshal(NodeEncoder.marshal(node));

            assertThat(List.copyOf(decoded.attributes().keySet())).isEqualTo(List.copyOf(node.attributes().keySet()));
            assertThat(NodeEncoder.marshal(decoded)).isEqualTo(NodeEncoder.marshal(node));
        }
    }

    @Test
    void framesWithTheCompressionFlagAreInflated() {
        Node node = Node.withChildren("message", Node.attrs("id", "ABC123"),
                List.of(Node.withBytes("enc", Map.of(), new byte[500])));
        byte[] plain = NodeEncoder.encode(node);
        Deflater deflater = new Deflater();
        deflater.setInput(plain);
        deflater.finish();
        var compressed = new ByteArrayOutputStream();
        compressed.write(2);
        byte[] buffer = new byte[4096];
        while (!deflater.finished()) {
            compressed.write(buffer, 0, deflater.deflate(buffer));
        }

        assertThat(NodeDecoder.unmarshal(compressed.toByteArray())).isEqualTo(node);
    }

    @Test
    void messengerAndInteropJidsDecodeToTheirTextForms() {
        byte[] fb = HEX.parseHex("f80203" + "f6" + "ff8312345f" + "0007" + "fc046d736772");
        byte[] interop = HEX.parseHex("f80203" + "f5" + "ff8312345f" + "0002" + "0009" + "fc07696e7465726f70");

        assertThat(NodeDecoder.decode(fb).text()).contains("12345:7@msgr");
        assertThat(NodeDecoder.decode(interop).text()).contains("9-12345:2@interop");
    }

    @Test
    void messengerAndInteropJidsUseTheirOwnFormsAndComeBackUnchanged() {
        Node messenger = Node.withText("t", Map.of(), "12345:7@msgr");
        Node interop = Node.withText("t", Map.of(), "9-12345:2@interop");

        byte[] messengerBytes = NodeEncoder.encode(messenger);
        byte[] interopBytes = NodeEncoder.encode(interop);

        assertThat(messengerBytes[3] & 0xff).isEqualTo(Tags.FB_JID);
        assertThat(interopBytes[3] & 0xff).isEqualTo(Tags.INTEROP_JID);
        assertThat(NodeDecoder.decode(messengerBytes)).isEqualTo(messenger);
        assertThat(NodeDecoder.decode(interopBytes)).isEqualTo(interop);
    }

    @Test
    void truncatedInputIsRejected() {
        byte[] bytes = NodeEncoder.encode(Node.withBytes("t", Map.of(), new byte[10]));

        assertThatThrownBy(() -> NodeDecoder.decode(java.util.Arrays.copyOf(bytes, bytes.length - 1)))
                .isInstanceOf(DecodeException.class);
    }
}
