package ponte.adapters.whatsapp.appstate;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import ponte.adapters.whatsapp.crypto.Hkdf;

/**
 * The five keys one app-state sync key expands to: {@code HKDF-SHA256(keyData, no salt, "WhatsApp Mutation Keys",
 * 160)} cut into 32-byte parts in this order (protocol.md §1.17; whatsmeow appstate/keys.go expandAppStateKeys).
 *
 * @param index          HMAC-SHA256 key of a record's plaintext index (the index MAC)
 * @param valueEncryption AES-256-CBC key of a record's {@code SyncActionData}
 * @param valueMac       HMAC-SHA512 key of the value MAC
 * @param snapshotMac    HMAC-SHA256 key of the snapshot MAC (the LTHash, version and collection name)
 * @param patchMac       HMAC-SHA256 key of the patch MAC
 */
public record MutationKeys(byte[] index, byte[] valueEncryption, byte[] valueMac, byte[] snapshotMac,
                           byte[] patchMac) {

    private static final byte[] INFO = "WhatsApp Mutation Keys".getBytes(StandardCharsets.UTF_8);

    /** Expands a key's data (the 32 bytes of {@code AppStateSyncKeyData.keyData}). */
    public static MutationKeys expand(byte[] keyData) {
        byte[] all = Hkdf.sha256(keyData, null, INFO, 160);
        return new MutationKeys(Arrays.copyOfRange(all, 0, 32), Arrays.copyOfRange(all, 32, 64),
                Arrays.copyOfRange(all, 64, 96), Arrays.copyOfRange(all, 96, 128), Arrays.copyOfRange(all, 128, 160));
    }
}
