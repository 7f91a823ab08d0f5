package ponte.adapters.whatsapp.client;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.crypto.AdvSignatures;
import ponte.adapters.whatsapp.crypto.XEdDsa;
import ponte.adapters.whatsapp.proto.Adv.AdvDeviceIdentity;
import ponte.adapters.whatsapp.proto.Adv.AdvEncryptionType;
import ponte.adapters.whatsapp.proto.Adv.AdvSignedDeviceIdentity;
import ponte.adapters.whatsapp.proto.Adv.AdvSignedDeviceIdentityHmac;
import ponte.adapters.whatsapp.store.DeviceCredentials;
import ponte.adapters.whatsapp.store.DeviceAccount;

/**
 * Decides on a {@code pair-success}: the primary phone vouches for this device, and before believing it the device
 * checks the HMAC made with its own ADV secret (only the phone that scanned our QR, or typed our code, knows it),
 * then the account's XEdDSA signature over the details and our identity key. Only then does it sign back. The
 * checks and error replies follow whatsmeow pair.go and Baileys configureSuccessfulPairing.
 */
final class PairSuccess {

    /** Either the account to store and the {@code pair-device-sign} reply, or the error reply that refuses. */
    sealed interface Decision {
        Node reply();
    }

    record Accepted(DeviceAccount account, Node reply) implements Decision {
    }

    record Rejected(int code, String text, Node reply) implements Decision {
    }

    private PairSuccess() {
    }

    static Decision decide(Node iq, DeviceCredentials credentials, SecureRandom random) {
        String id = iq.attributeOr("id", "");
        Node pairSuccess = iq.child("pair-success").orElseThrow();
        Optional<byte[]> container = pairSuccess.child("device-identity").flatMap(Node::bytes);
        Optional<Node> device = pairSuccess.child("device");
        if (container.isEmpty() || device.isEmpty()) {
            return reject(id, 500, "internal-error");
        }
        try {
            var hmacContainer = AdvSignedDeviceIdentityHmac.parseFrom(container.get());
            boolean hostedAccount = hmacContainer.getAccountType() == AdvEncryptionType.HOSTED;
            byte[] expected = AdvSignatures.hmac(credentials.advSecret(), hostedAccount,
                    hmacContainer.getDetails().toByteArray());
            if (!MessageDigest.isEqual(expected, hmacContainer.getHmac().toByteArray())) {
                return reject(id, 401, "hmac-mismatch");
            }
            var signed = AdvSignedDeviceIdentity.parseFrom(hmacContainer.getDetails());
            var details = AdvDeviceIdentity.parseFrom(signed.getDetails());
            byte[] identity = credentials.identityKey().publicKey();
            byte[] accountKey = signed.getAccountSignatureKey().toByteArray();
            boolean hostedDevice = details.getDeviceType() == AdvEncryptionType.HOSTED;
            byte[] accountMessage = AdvSignatures.accountMessage(hostedDevice, signed.getDetails().toByteArray(),
                    identity);
            if (!XEdDsa.verify(accountKey, accountMessage, signed.getAccountSignature().toByteArray())) {
                return reject(id, 401, "signature-mismatch");
            }
            byte[] deviceSignature = XEdDsa.sign(credentials.identityKey().privateKey(),
                    AdvSignatures.deviceMessage(signed.getDetails().toByteArray(), identity, accountKey), random);
            var countersigned = signed.toBuilder().setDeviceSignature(ByteString.copyFrom(deviceSignature)).build();
            var account = new DeviceAccount(device.get().attributeOr("jid", ""), device.get().attributeOr("lid", ""),
                    pairSuccess.child("platform").map(p -> p.attributeOr("name", "")).orElse(""),
                    pairSuccess.child("biz").map(b -> b.attributeOr("name", "")).orElse(""), "",
                    countersigned.toByteArray());
            if (Jid.parse(account.jid()).isEmpty()) {
                return reject(id, 500, "internal-error");
            }
            // the server learns the device signature; the account key it already knows, so it is left out
            byte[] withoutAccountKey = countersigned.toBuilder().clearAccountSignatureKey().build().toByteArray();
            Node reply = Node.withChildren("iq", Node.attrs("to", Jid.USER_SERVER, "type", "result", "id", id),
                    List.of(Node.withChildren("pair-device-sign", Map.of(), List.of(Node.withBytes("device-identity",
                            Node.attrs("key-index", Integer.toString(details.getKeyIndex())), withoutAccountKey)))));
            return new Accepted(account, reply);
        } catch (InvalidProtocolBufferException e) {
            return reject(id, 500, "internal-error");
        }
    }

    static Rejected reject(String id, int code, String text) {
        return new Rejected(code, text, Node.withChildren("iq",
                Node.attrs("to", Jid.USER_SERVER, "type", "error", "id", id),
                List.of(Node.of("error", Node.attrs("code", Integer.toString(code), "text", text)))));
    }
}
