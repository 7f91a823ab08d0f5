package ponte.adapters.whatsapp.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {

    @Test
    void aFrameSplitAcrossMessagesIsReassembled() {
        byte[] frame = FrameDecoder.frame(new byte[300]);
        FrameDecoder decoder = new FrameDecoder();

        assertThat(decoder.feed(Arrays.copyOfRange(frame, 0, 2))).isEmpty();
        assertThat(decoder.feed(Arrays.copyOfRange(frame, 2, 100))).isEmpty();
        List<byte[]> frames = decoder.feed(Arrays.copyOfRange(frame, 100, frame.length));

        assertThat(frames).hasSize(1);
        assertThat(frames.getFirst()).hasSize(300);
    }

    @Test
    void oneMessageMayCarrySeveralFramesAndTheStartOfTheNext() {
        byte[] a = FrameDecoder.frame(new byte[] {1});
        byte[] b = FrameDecoder.frame(new byte[] {2, 2});
        byte[] c = FrameDecoder.frame(new byte[] {3, 3, 3});
        byte[] message = new byte[a.length + b.length + 4];
        System.arraycopy(a, 0, message, 0, a.length);
        System.arraycopy(b, 0, message, a.length, b.length);
        System.arraycopy(c, 0, message, a.length + b.length, 4);
        FrameDecoder decoder = new FrameDecoder();

        assertThat(decoder.feed(message)).containsExactly(new byte[] {1}, new byte[] {2, 2});
        assertThat(decoder.feed(Arrays.copyOfRange(c, 4, c.length))).containsExactly(new byte[] {3, 3, 3});
    }

    @Test
    void lengthsAreThreeBytesBigEndian() {
        byte[] frame = FrameDecoder.frame(new byte[0x010203]);

        assertThat(Arrays.copyOf(frame, 3)).containsExactly(1, 2, 3);
    }

    @Test
    void theServerSideConsumesTheIntroHeaderEvenWhenSplit() {
        FrameDecoder decoder = FrameDecoder.expectingIntroHeader();

        assertThat(decoder.feed(new byte[] {'W', 'A'})).isEmpty();
        assertThat(decoder.feed(new byte[] {6, 3, 0, 0, 1, 9})).containsExactly(new byte[] {9});
    }

    @Test
    void aConnectionWithoutTheIntroHeaderIsRefused() {
        assertThatThrownBy(() -> FrameDecoder.expectingIntroHeader().feed(new byte[] {'W', 'A', 5, 3}))
                .isInstanceOf(FrameException.class);
    }
}
