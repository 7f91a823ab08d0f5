package ponte.adapters.whatsapp.binary;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.fuzz.NetworkInput;
import ponte.adapters.whatsapp.fuzz.Seeds;

/**
 * Coverage-guided fuzzing of the binary XML decoder (issue 17 item 3): any decrypted frame, compressed or not, either
 * decodes or fails with {@link DecodeException}, within the allocation budget of {@link NetworkInput}.
 */
class NodeDecoderFuzzTest {

    @FuzzTest(maxDuration = "90s")
    void unmarshal(byte[] frame) {
        NetworkInput.decodes(frame.length, () -> {
            Node node = NodeDecoder.unmarshal(frame);
            // what decodes re-encodes and decodes to the same node: the decoder reads nothing it cannot account for
            NodeDecoder.decode(NodeEncoder.encode(node));
        }, DecodeException.class);
    }

    /** Seeds: random trees over every encoding path (as {@link NodeCodecTest} makes them), plain and compressed. */
    @Test
    void seedsAreRealFrames() throws Exception {
        var random = new RandomNodes(17);
        for (int i = 0; i < 8; i++) {
            Node node = random.tree(3);
            byte[] plain = NodeEncoder.marshal(node);
            var deflated = new ByteArrayOutputStream();
            deflated.write(2);
            try (var out = new DeflaterOutputStream(deflated)) {
                out.write(plain, 1, plain.length - 1);
            }
            for (byte[] frame : List.of(plain, deflated.toByteArray())) {
                Seeds.write(NodeDecoderFuzzTest.class, "unmarshal", frame);
                assertThat(NodeEncoder.marshal(NodeDecoder.unmarshal(frame))).isEqualTo(plain);
            }
        }
    }
}
