package ponte.adapters.whatsapp.socket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.fuzz.NetworkInput;
import ponte.adapters.whatsapp.fuzz.Seeds;

/**
 * Coverage-guided fuzzing of the frame decoder (issue 17 item 3): WebSocket messages cut anywhere either yield
 * frames or fail with {@link FrameException}; a 3-byte length that promises more than arrived buffers only what
 * arrived, and the frames a stream yields do not depend on where it was cut.
 */
class FrameDecoderFuzzTest {

    @FuzzTest(maxDuration = "90s")
    void feed(byte[] input) {
        if (input.length == 0) {
            return;
        }
        boolean server = (input[0] & 1) != 0;
        int cut = input.length > 1 ? 1 + (input[1] & 0xff) : 1; // the size of each WebSocket message
        byte[] stream = Arrays.copyOfRange(input, Math.min(2, input.length), input.length);
        NetworkInput.decodes(input.length, () -> {
            List<byte[]> whole = decoder(server).feed(stream);
            FrameDecoder pieces = decoder(server);
            List<byte[]> cutUp = new ArrayList<>();
            for (int from = 0; from < stream.length; from += cut) {
                cutUp.addAll(pieces.feed(Arrays.copyOfRange(stream, from, Math.min(stream.length, from + cut))));
            }
            assertThat(cutUp).containsExactlyElementsOf(whole);
        }, FrameException.class);
    }

    private static FrameDecoder decoder(boolean server) {
        return server ? FrameDecoder.expectingIntroHeader() : new FrameDecoder();
    }

    /** Seeds: an intro header and three frames, cut into messages of 5 bytes (the first two bytes steer the target). */
    @Test
    void seedsAreRealStreams() {
        var stream = new ByteArrayOutputStream();
        stream.writeBytes(NoiseConstants.INTRO_HEADER);
        for (String payload : new String[] {"hello", "", "a longer payload of a frame"}) {
            stream.writeBytes(FrameDecoder.frame(payload.getBytes()));
        }
        byte[] input = new byte[2 + stream.size()];
        input[0] = 1;
        input[1] = 4;
        System.arraycopy(stream.toByteArray(), 0, input, 2, stream.size());
        Seeds.write(FrameDecoderFuzzTest.class, "feed", input);
        assertThat(FrameDecoder.expectingIntroHeader().feed(stream.toByteArray())).hasSize(3);
        feed(input);
    }
}
