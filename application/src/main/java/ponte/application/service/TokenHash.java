package ponte.application.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Tokens are 32 random bytes, so a fast unsalted SHA-256 is enough to make a stolen table useless; a slow password
 * hash would only slow every request down.
 */
final class TokenHash {
    private TokenHash() {}

    static byte[] of(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    static boolean matches(String token, byte[] hash) {
        return MessageDigest.isEqual(of(token), hash);
    }
}
