package ponte.adapters.whatsapp.socket;

/** The fixed values of WhatsApp's Noise socket; docs/whatsapp-protocol.md gives the source of each. */
public final class NoiseConstants {

    /** Exactly 32 bytes, so it is used as the initial hash without hashing (Noise §5.2). */
    public static final String PATTERN = "Noise_XX_25519_AESGCM_SHA256\0\0\0\0";
    public static final byte MAGIC = 6;
    public static final byte DICTIONARY_VERSION = 3;
    /** Sent once before the first frame and mixed into the handshake hash as the prologue. */
    static final byte[] INTRO_HEADER = {'W', 'A', MAGIC, DICTIONARY_VERSION};
    public static final int MAX_FRAME_SIZE = (1 << 24) - 1;

    private NoiseConstants() {
    }

    public static byte[] introHeader() {
        return INTRO_HEADER.clone();
    }
}
