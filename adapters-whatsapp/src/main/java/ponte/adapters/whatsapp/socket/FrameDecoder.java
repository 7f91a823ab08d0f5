package ponte.adapters.whatsapp.socket;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reassembles 3-byte-length frames from WebSocket messages: one message may hold several frames and a frame may
 * span several messages. Not thread-safe; each connection feeds its own decoder from one reader.
 */
public final class FrameDecoder {

    private byte[] pending = new byte[0];
    private int introRemaining;

    /** For the server side, which must first consume the client's intro header. */
    public static FrameDecoder expectingIntroHeader() {
        FrameDecoder decoder = new FrameDecoder();
        decoder.introRemaining = NoiseConstants.INTRO_HEADER.length;
        return decoder;
    }

    public List<byte[]> feed(byte[] data) {
        byte[] buffer = concat(pending, data);
        int offset = 0;
        if (introRemaining > 0) {
            int take = Math.min(introRemaining, buffer.length);
            for (int i = 0; i < take; i++) {
                int expected = NoiseConstants.INTRO_HEADER[NoiseConstants.INTRO_HEADER.length - introRemaining + i];
                if (buffer[i] != expected) {
                    throw new FrameException("the connection did not start with the WA intro header");
                }
            }
            introRemaining -= take;
            offset = take;
        }
        List<byte[]> frames = new ArrayList<>();
        while (buffer.length - offset >= 3) {
            int size = (buffer[offset] & 0xff) << 16 | (buffer[offset + 1] & 0xff) << 8 | buffer[offset + 2] & 0xff;
            if (buffer.length - offset - 3 < size) {
                break;
            }
            frames.add(Arrays.copyOfRange(buffer, offset + 3, offset + 3 + size));
            offset += 3 + size;
        }
        pending = Arrays.copyOfRange(buffer, offset, buffer.length);
        return frames;
    }

    /** Prefixes a payload with its 3-byte big-endian length. */
    public static byte[] frame(byte[] payload) {
        if (payload.length > NoiseConstants.MAX_FRAME_SIZE) {
            throw new FrameException("frame of " + payload.length + " bytes exceeds the 3-byte length");
        }
        var out = new ByteArrayOutputStream(payload.length + 3);
        out.write(payload.length >>> 16);
        out.write(payload.length >>> 8);
        out.write(payload.length);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        if (a.length == 0) {
            return b;
        }
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
