package ponte.application.port.out;

/** High-entropy random strings for tokens and secrets; the randomness lives outside the core. */
public interface SecretGenerator {
    /** A URL-safe random string carrying at least {@code bytes} bytes of entropy, prefixed with {@code prefix}. */
    String next(String prefix, int bytes);
}
