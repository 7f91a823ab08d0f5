package ponte.adapters.whatsapp.sandbox.store;

import java.util.Map;

/** What a device's {@code encrypt} upload carries: its signed prekey and a batch of one-time prekeys by id. */
public record UploadedKeys(int registrationId, int signedPreKeyId, byte[] signedPreKey, byte[] signedPreKeySignature,
        Map<Integer, byte[]> preKeys) {
}
