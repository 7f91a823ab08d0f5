package ponte.application.port.out;

/** Uniform numbers in [0, 1) for retry jitter; the randomness lives outside the core. */
public interface RandomSource {
    double nextUnit();
}
