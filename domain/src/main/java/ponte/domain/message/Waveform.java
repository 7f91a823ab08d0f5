package ponte.domain.message;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import ponte.domain.validation.Violations;

/**
 * A voice note's waveform as WhatsApp's {@code AudioMessage.waveform} carries it (protocol.md §1.16): one loudness
 * sample per byte, 0 (silence) to 100 (loudest), 64 of them spread evenly over the recording. Clients draw it as
 * the bars of the voice note; without one they draw a flat line.
 *
 * @param samples at most {@link #LENGTH} samples, each 0–100
 */
public record Waveform(byte[] samples) {
    /** How many samples WhatsApp's clients send. */
    public static final int LENGTH = 64;
    /** The loudest sample. */
    public static final int MAX = 100;

    public Waveform {
        if (samples.length == 0 || samples.length > LENGTH) {
            throw new IllegalArgumentException("a waveform has 1 to " + LENGTH + " samples");
        }
        for (byte sample : samples) {
            if (sample < 0 || sample > MAX) {
                throw new IllegalArgumentException("a waveform sample is 0 to " + MAX);
            }
        }
        samples = samples.clone();
    }

    @Override
    public byte[] samples() {
        return samples.clone();
    }

    /**
     * A waveform received on the wire, where any bytes may come: empty unless it has 1–64 samples of 0–100 (a
     * peer's out-of-range bytes are not passed on as if they meant something).
     */
    public static java.util.Optional<Waveform> received(byte[] wire) {
        try {
            return java.util.Optional.of(new Waveform(wire));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    /** The API's form: the samples as numbers. */
    public List<Integer> values() {
        var values = new ArrayList<Integer>(samples.length);
        for (byte sample : samples) {
            values.add((int) sample);
        }
        return values;
    }

    /**
     * Checks the API's {@code waveform}: exactly 64 whole numbers from 0 to 100. Returns null when absent or wrong
     * (a problem is added to {@code problems} when wrong).
     */
    static Waveform check(Violations problems, List<Integer> values) {
        if (values == null) {
            return null;
        }
        if (values.size() != LENGTH || values.stream().anyMatch(v -> v == null || v < 0 || v > MAX)) {
            problems.add("waveform", "must be " + LENGTH + " numbers from 0 to " + MAX);
            return null;
        }
        var samples = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            samples[i] = (byte) (int) values.get(i);
        }
        return new Waveform(samples);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Waveform that && Arrays.equals(samples, that.samples);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(samples);
    }

    @Override
    public String toString() {
        return "Waveform" + values();
    }
}
