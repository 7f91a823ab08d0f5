package ponte.application.port.out;

/**
 * Seals secrets (proxy passwords, webhook secrets, API tokens, identity keys) before they are stored and opens them
 * when they are used; the key never leaves the adapter that implements it.
 */
public interface SecretCipher {
    byte[] seal(byte[] plaintext);

    byte[] open(byte[] sealed);

    default byte[] seal(String plaintext) {
        return seal(plaintext.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    default String openString(byte[] sealed) {
        return new String(open(sealed), java.nio.charset.StandardCharsets.UTF_8);
    }
}
