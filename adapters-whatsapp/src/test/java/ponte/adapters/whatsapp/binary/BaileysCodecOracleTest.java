package ponte.adapters.whatsapp.binary;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.oracle.BaileysOracle;

/** Our codec against Baileys': the same bytes for the same tree, and each decodes what the other wrote. */
class BaileysCodecOracleTest {

    private static final int TREES = 3000;

    @Test
    void generatedTreesEncodeToTheSameBytesAsBaileysAndDecodeEachOther() {
        BaileysOracle baileys = BaileysOracle.get();
        RandomNodes nodes = new RandomNodes(20261121);
        for (int i = 0; i < TREES; i++) {
            Node node = nodes.tree(4);
            byte[] ours = NodeEncoder.marshal(node);

            byte[] theirs = baileys.encode(node);

            assertThat(HexFormat.of().formatHex(ours)).as("tree %d: %s", i, node)
                    .isEqualTo(HexFormat.of().formatHex(theirs));
            Node decodedByBaileys = baileys.decode(ours);
            assertThat(NodeDecoder.unmarshal(theirs)).as("tree %d", i).isEqualTo(decodedByBaileys);
        }
    }

    @Test
    void baileysDecodesMessengerAndInteropJidsAsWeDo() {
        HexFormat hex = HexFormat.of();
        for (String body : new String[] {
                "f80203" + "f6" + "ff8312345f" + "0007" + "fc046d736772",
                "f80203" + "f5" + "ff8312345f" + "0002" + "0009" + "fc07696e7465726f70"}) {
            byte[] frame = hex.parseHex("00" + body);

            assertThat(NodeDecoder.unmarshal(frame)).isEqualTo(BaileysOracle.get().decode(frame));
        }
    }

    @Test
    void baileysReadsTheMessengerAndInteropJidsWeWrite() {
        for (String jid : new String[] {"12345:7@msgr", "9-12345:2@interop", "555:0@msgr"}) {
            Node node = Node.of("iq", Node.attrs("from", jid));

            assertThat(BaileysOracle.get().decode(NodeEncoder.marshal(node))).isEqualTo(node);
        }
    }

    @Test
    void aOneMebibyteBinaryUsesThirtyTwoBitLengthsInBoth() {
        byte[] content = new byte[(1 << 20) + 3];
        new java.util.Random(7).nextBytes(content);
        Node node = Node.withBytes("enc", Node.attrs("v", "2", "type", "pkmsg"), content);

        assertThat(BaileysOracle.get().encode(node)).isEqualTo(NodeEncoder.marshal(node));
    }
}
