package ponte.adapters.delivery.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.OptionalLong;

/**
 * How long an Ogg/Opus file plays, read from two pages without decoding a packet (RFC 7845 §4): the last page's
 * granule position counts 48 kHz samples from the start of the stream, the first page's {@code OpusHead} says how
 * many of them are pre-skip (decoder warm-up, never played), so the length is {@code (granule − preSkip) / 48000}
 * seconds. Pages are found by their capture pattern {@code OggS} and believed only when their CRC-32 (RFC 3533 §6:
 * polynomial 0x04C11DB7, unreflected, zero initial value) checks out, since the pattern may occur inside audio data.
 * Only the first 64 KiB and the last 128 KiB are read, whatever the file's size.
 */
final class OggOpusLength {
    /** The largest Ogg page: 27 header bytes, 255 lacing values, 255 segments of 255 bytes (RFC 3533 §6). */
    private static final int MAX_PAGE = 27 + 255 + 255 * 255;
    private static final int OPUS_RATE = 48_000;
    private static final byte[] CAPTURE = "OggS".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OPUS_HEAD = "OpusHead".getBytes(StandardCharsets.US_ASCII);
    private static final int[] CRC = table();

    private OggOpusLength() {}

    /** The number of 48 kHz samples the file plays, or empty when it is not Ogg/Opus or its pages do not check out. */
    static OptionalLong samples(Path file) throws IOException {
        try (var channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            var head = read(channel, 0, (int) Math.min(size, MAX_PAGE));
            if (page(head, 0) < 0) {
                return OptionalLong.empty();
            }
            int segments = head[26] & 0xff;
            int packet = 27 + segments;
            if (head.length < packet + 19 || !Arrays.equals(head, packet, packet + 8, OPUS_HEAD, 0, 8)) {
                return OptionalLong.empty();
            }
            int preSkip = (head[packet + 10] & 0xff) | (head[packet + 11] & 0xff) << 8;
            int serial = le32(head, 14);
            long start = Math.max(0, size - 2L * MAX_PAGE);
            var tail = read(channel, start, (int) (size - start));
            for (int at = tail.length - 27; at >= 0; at--) {
                if (tail[at] != 'O' || !Arrays.equals(tail, at, at + 4, CAPTURE, 0, 4) || page(tail, at) < 0
                        || le32(tail, at + 14) != serial) {
                    continue;
                }
                long granule = ByteBuffer.wrap(tail, at + 6, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
                if (granule == -1) {
                    continue; // no packet ends on this page: its granule says nothing
                }
                long played = granule - preSkip;
                return played > 0 ? OptionalLong.of(played) : OptionalLong.empty();
            }
            return OptionalLong.empty();
        }
    }

    /** Whole seconds of {@code samples} at 48 kHz, rounded, at least 1 for anything that plays. */
    static int seconds(long samples) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, Math.round((double) samples / OPUS_RATE)));
    }

    /** The length of the page at {@code at} when it is whole in {@code bytes} and its CRC checks out, else -1. */
    private static int page(byte[] bytes, int at) {
        if (at + 27 > bytes.length || !Arrays.equals(bytes, at, at + 4, CAPTURE, 0, 4) || bytes[at + 4] != 0) {
            return -1;
        }
        int segments = bytes[at + 26] & 0xff;
        if (at + 27 + segments > bytes.length) {
            return -1;
        }
        int length = 27 + segments;
        for (int i = 0; i < segments; i++) {
            length += bytes[at + 27 + i] & 0xff;
        }
        if (at + length > bytes.length) {
            return -1;
        }
        int crc = 0;
        for (int i = 0; i < length; i++) {
            int b = i >= 22 && i < 26 ? 0 : bytes[at + i] & 0xff; // the CRC field counts as zeros
            crc = crc << 8 ^ CRC[(crc >>> 24 ^ b) & 0xff];
        }
        return crc == le32(bytes, at + 22) ? length : -1;
    }

    private static int le32(byte[] bytes, int at) {
        return ByteBuffer.wrap(bytes, at, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    private static byte[] read(FileChannel channel, long position, int length) throws IOException {
        var buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining() && channel.read(buffer, position + buffer.position()) > 0) {
            // read until full or the end
        }
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    private static int[] table() {
        var table = new int[256];
        for (int i = 0; i < 256; i++) {
            int r = i << 24;
            for (int bit = 0; bit < 8; bit++) {
                r = (r & 0x80000000) != 0 ? r << 1 ^ 0x04C11DB7 : r << 1;
            }
            table[i] = r;
        }
        return table;
    }
}
