package ponte.application.port.out;

/** Uniform randomness for retry jitter and message ids; the randomness lives outside the core. */
public interface RandomSource {
    /** A uniform number in [0, 1). */
    double nextUnit();

    /**
     * {@code count} uniform random bytes (a message id takes 16). The default draws one byte per {@link #nextUnit()};
     * a source backed by a cryptographic generator overrides it with that generator's bytes.
     */
    default byte[] nextBytes(int count) {
        var bytes = new byte[count];
        for (int i = 0; i < count; i++) {
            bytes[i] = (byte) (int) (nextUnit() * 256);
        }
        return bytes;
    }
}
