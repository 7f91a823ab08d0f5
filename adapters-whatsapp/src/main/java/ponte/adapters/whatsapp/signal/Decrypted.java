package ponte.adapters.whatsapp.signal;

import java.util.OptionalInt;

/**
 * A decrypted 1:1 message: the plaintext (still padded, see {@link Padding}), what the message said about the
 * sender's identity ({@link IdentityChange#UNCHANGED} for a {@code msg}), and the one-time prekey a {@code pkmsg}
 * consumed (already removed through the store; the caller may top up its prekeys).
 */
public record Decrypted(byte[] plaintext, IdentityChange identity, OptionalInt consumedPreKeyId) {

    public Decrypted {
        plaintext = plaintext.clone();
    }

    @Override
    public byte[] plaintext() {
        return plaintext.clone();
    }
}
