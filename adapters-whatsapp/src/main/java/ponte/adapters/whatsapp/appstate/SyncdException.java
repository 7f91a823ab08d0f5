package ponte.adapters.whatsapp.appstate;

/**
 * A patch or snapshot that cannot be applied: a MAC that does not match (value, index, patch or snapshot MAC, the
 * latter meaning the LTHash disagrees), a version out of order, or content that does not decrypt or parse. Nothing
 * of it was applied; the client drops it and fetches the collection's snapshot again.
 */
public class SyncdException extends Exception {

    public SyncdException(String message) {
        super(message);
    }

    /** A record or patch is sealed with an app-state key this device has not been given (yet). */
    public static final class MissingKey extends SyncdException {
        private final byte[] keyId;

        public MissingKey(byte[] keyId) {
            super("no app-state sync key " + java.util.HexFormat.of().formatHex(keyId));
            this.keyId = keyId.clone();
        }

        public byte[] keyId() {
            return keyId.clone();
        }
    }
}
