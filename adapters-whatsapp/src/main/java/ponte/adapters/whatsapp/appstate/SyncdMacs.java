package ponte.adapters.whatsapp.appstate;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import ponte.adapters.whatsapp.proto.AppStateProto.SyncdMutation.SyncdOperation;

/**
 * The MACs of app-state sync (protocol.md §1.17; whatsmeow appstate/hash.go, Baileys chat-utils.ts):
 * <ul>
 *   <li>value MAC: {@code HMAC-SHA512(valueMacKey, opByte ‖ keyId ‖ ciphertext ‖ uint64BE(1 + keyId.length))}
 *       cut to 32 bytes, {@code opByte} 1 for SET and 2 for REMOVE;</li>
 *   <li>index MAC: {@code HMAC-SHA256(indexKey, index JSON)};</li>
 *   <li>snapshot MAC: {@code HMAC-SHA256(snapshotMacKey, ltHash ‖ uint64BE(version) ‖ collection name)};</li>
 *   <li>patch MAC: {@code HMAC-SHA256(patchMacKey, snapshotMac ‖ valueMac… ‖ uint64BE(version) ‖ name)}.</li>
 * </ul>
 */
public final class SyncdMacs {

    private SyncdMacs() {
    }

    public static byte[] valueMac(SyncdOperation operation, byte[] ciphertext, byte[] keyId, byte[] valueMacKey) {
        byte op = (byte) (operation == SyncdOperation.REMOVE ? 2 : 1);
        ByteBuffer data = ByteBuffer.allocate(1 + keyId.length + ciphertext.length + 8);
        data.put(op).put(keyId).put(ciphertext).putLong(1 + keyId.length);
        return Arrays.copyOf(hmac("HmacSHA512", valueMacKey, data.array()), 32);
    }

    public static byte[] indexMac(byte[] index, byte[] indexKey) {
        return hmac("HmacSHA256", indexKey, index);
    }

    public static byte[] snapshotMac(byte[] ltHash, long version, String name, byte[] snapshotMacKey) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer data = ByteBuffer.allocate(ltHash.length + 8 + nameBytes.length);
        data.put(ltHash).putLong(version).put(nameBytes);
        return hmac("HmacSHA256", snapshotMacKey, data.array());
    }

    public static byte[] patchMac(byte[] snapshotMac, List<byte[]> valueMacs, long version, String name,
            byte[] patchMacKey) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        int length = snapshotMac.length + valueMacs.stream().mapToInt(mac -> mac.length).sum() + 8 + nameBytes.length;
        ByteBuffer data = ByteBuffer.allocate(length);
        data.put(snapshotMac);
        valueMacs.forEach(data::put);
        data.putLong(version).put(nameBytes);
        return hmac("HmacSHA256", patchMacKey, data.array());
    }

    private static byte[] hmac(String algorithm, byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is unavailable", e);
        }
    }
}
