package ponte.adapters.whatsapp.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.crypto.AdvSignatures;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.crypto.LinkCode;
import ponte.adapters.whatsapp.crypto.XEdDsa;
import ponte.adapters.whatsapp.oracle.BaileysOracle;
import ponte.adapters.whatsapp.proto.Adv.AdvDeviceIdentity;
import ponte.adapters.whatsapp.proto.Adv.AdvSignedDeviceIdentity;
import ponte.adapters.whatsapp.proto.Adv.AdvSignedDeviceIdentityHmac;
import ponte.adapters.whatsapp.store.DeviceCredentials;

/** Pairing's deterministic pieces against Baileys' own functions, and our signatures against libsignal's check. */
class PairingKnownAnswersOracleTest {

    private static final HexFormat HEX = HexFormat.of();
    private final SecureRandom random = new SecureRandom();

    @Test
    void thePairingCodeKeyMatchesBaileysDerivePairingCodeKey() {
        for (int i = 0; i < 3; i++) {
            String code = LinkCode.newCode(random);
            byte[] salt = bytes(32);

            String theirs = BaileysOracle.get().call(BaileysOracle.request("pairingCodeKey").put("code", code)
                    .put("salt", HEX.formatHex(salt))).path("hex").asText();

            assertThat(HEX.formatHex(LinkCode.key(code, salt))).isEqualTo(theirs);
        }
    }

    @Test
    void theCodeAlphabetMatchesBaileysBytesToCrockford() {
        for (int length : new int[] {1, 2, 3, 4, 5, 5, 5, 7, 10}) {
            byte[] input = bytes(length);

            String theirs = BaileysOracle.get().call(BaileysOracle.request("crockford")
                    .put("hex", HEX.formatHex(input))).path("text").asText();

            assertThat(LinkCode.encode(input)).isEqualTo(theirs);
        }
    }

    @Test
    void theQrTextMatchesBaileysBuildPairingQrDataForChrome() {
        DeviceCredentials keys = DeviceCredentials.generate(random);
        String ref = "2@" + java.util.Base64.getEncoder().encodeToString(bytes(45));
        var request = BaileysOracle.request("pairingQrData").put("ref", ref)
                .put("noise", HEX.formatHex(keys.noiseKey().publicKey()))
                .put("identity", HEX.formatHex(keys.identityKey().publicKey()))
                .put("adv", HEX.formatHex(keys.advSecret()));
        request.putArray("browser").add("Linux").add("Chrome").add("1.0");

        String theirs = BaileysOracle.get().call(request).path("text").asText();

        assertThat(QrCodes.text(ref, keys)).isEqualTo(theirs);
    }

    @Test
    void ourDeviceSignatureOnAPairSuccessVerifiesWithLibsignal() throws Exception {
        DeviceCredentials companion = DeviceCredentials.generate(random);
        KeyPair account = KeyPair.generate(random);
        byte[] details = AdvDeviceIdentity.newBuilder().setRawId(9).setTimestamp(1_790_000_000L).setKeyIndex(2)
                .build().toByteArray();
        byte[] signed = AdvSignedDeviceIdentity.newBuilder()
                .setDetails(ByteString.copyFrom(details))
                .setAccountSignatureKey(ByteString.copyFrom(account.publicKey()))
                .setAccountSignature(ByteString.copyFrom(XEdDsa.sign(account.privateKey(),
                        AdvSignatures.accountMessage(false, details, companion.identityKey().publicKey()), random)))
                .build().toByteArray();
        byte[] container = AdvSignedDeviceIdentityHmac.newBuilder().setDetails(ByteString.copyFrom(signed))
                .setHmac(ByteString.copyFrom(AdvSignatures.hmac(companion.advSecret(), false, signed)))
                .build().toByteArray();
        Node stanza = Node.withChildren("iq", Node.attrs("from", "s.whatsapp.net", "type", "set", "id", "p"),
                List.of(Node.withChildren("pair-success", Map.of(), List.of(
                        Node.withBytes("device-identity", Map.of(), container),
                        Node.of("device", Node.attrs("jid", "5511900000001:2@s.whatsapp.net", "lid", "1:2@lid"))))));

        Node reply = PairSuccess.decide(stanza, companion, random).reply();
        var returned = AdvSignedDeviceIdentity.parseFrom(reply.child("pair-device-sign")
                .flatMap(s -> s.child("device-identity")).flatMap(Node::bytes).orElseThrow());
        byte[] message = AdvSignatures.deviceMessage(details, companion.identityKey().publicKey(), account.publicKey());
        byte[] tampered = message.clone();
        tampered[0] ^= 1;

        assertThat(libsignalVerifies(companion.identityKey().publicKey(), message,
                returned.getDeviceSignature().toByteArray())).isTrue();
        assertThat(libsignalVerifies(companion.identityKey().publicKey(), tampered,
                returned.getDeviceSignature().toByteArray())).isFalse();
    }

    private static boolean libsignalVerifies(byte[] publicKey, byte[] message, byte[] signature) {
        return BaileysOracle.get().call(BaileysOracle.request("libsignalVerify")
                .put("publicKey", HEX.formatHex(publicKey)).put("message", HEX.formatHex(message))
                .put("signature", HEX.formatHex(signature))).path("valid").asBoolean();
    }

    private byte[] bytes(int n) {
        byte[] out = new byte[n];
        random.nextBytes(out);
        return out;
    }
}
