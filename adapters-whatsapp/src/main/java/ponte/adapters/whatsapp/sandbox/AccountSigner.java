package ponte.adapters.whatsapp.sandbox;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import ponte.adapters.whatsapp.crypto.AdvSignatures;
import ponte.adapters.whatsapp.crypto.XEdDsa;
import ponte.adapters.whatsapp.proto.Adv.AdvDeviceIdentity;
import ponte.adapters.whatsapp.proto.Adv.AdvEncryptionType;
import ponte.adapters.whatsapp.proto.Adv.AdvSignedDeviceIdentity;
import ponte.adapters.whatsapp.proto.Adv.AdvSignedDeviceIdentityHmac;
import ponte.adapters.whatsapp.sandbox.store.VirtualPhone;

/**
 * What a primary phone does to vouch for a companion, and how it checks the companion's countersignature. The
 * byte layouts are the client's ({@link AdvSignatures}), so the sandbox signs exactly as a phone does.
 */
final class AccountSigner {

    private AccountSigner() {
    }

    /** The signed device identity a phone sends in pair-success, before the HMAC wraps it. */
    static AdvSignedDeviceIdentity vouch(VirtualPhone phone, int keyIndex, byte[] companionIdentity, boolean hosted,
            Instant now, SecureRandom random) {
        AdvEncryptionType type = hosted ? AdvEncryptionType.HOSTED : AdvEncryptionType.E2EE;
        byte[] details = AdvDeviceIdentity.newBuilder()
                .setRawId(phone.rawId())
                .setTimestamp(now.getEpochSecond())
                .setKeyIndex(keyIndex)
                .setAccountType(type)
                .setDeviceType(type)
                .build().toByteArray();
        byte[] signature = XEdDsa.sign(phone.identity().privateKey(),
                AdvSignatures.accountMessage(hosted, details, companionIdentity), random);
        return AdvSignedDeviceIdentity.newBuilder()
                .setDetails(ByteString.copyFrom(details))
                .setAccountSignatureKey(ByteString.copyFrom(phone.identity().publicKey()))
                .setAccountSignature(ByteString.copyFrom(signature))
                .build();
    }

    /** The pair-success {@code device-identity} content: the signed identity authenticated with the ADV secret. */
    static byte[] authenticate(AdvSignedDeviceIdentity signed, byte[] advSecret, boolean hosted) {
        byte[] details = signed.toByteArray();
        var container = AdvSignedDeviceIdentityHmac.newBuilder()
                .setDetails(ByteString.copyFrom(details))
                .setHmac(ByteString.copyFrom(AdvSignatures.hmac(advSecret, hosted, details)));
        if (hosted) {
            container.setAccountType(AdvEncryptionType.HOSTED);
        }
        return container.build().toByteArray();
    }

    /**
     * True when the companion's {@code pair-device-sign} returns the details we signed, with a device signature
     * its identity key made over them, our account key included.
     */
    static boolean countersigned(byte[] reply, AdvSignedDeviceIdentity vouched, byte[] companionIdentity) {
        try {
            var returned = AdvSignedDeviceIdentity.parseFrom(reply);
            byte[] details = vouched.getDetails().toByteArray();
            return MessageDigest.isEqual(returned.getDetails().toByteArray(), details)
                    && XEdDsa.verify(companionIdentity, AdvSignatures.deviceMessage(details, companionIdentity,
                            vouched.getAccountSignatureKey().toByteArray()),
                            returned.getDeviceSignature().toByteArray());
        } catch (InvalidProtocolBufferException e) {
            return false;
        }
    }
}
