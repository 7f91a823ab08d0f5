package ponte.adapters.whatsapp.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.crypto.AdvSignatures;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.crypto.XEdDsa;
import ponte.adapters.whatsapp.proto.Adv.AdvDeviceIdentity;
import ponte.adapters.whatsapp.proto.Adv.AdvEncryptionType;
import ponte.adapters.whatsapp.proto.Adv.AdvSignedDeviceIdentity;
import ponte.adapters.whatsapp.proto.Adv.AdvSignedDeviceIdentityHmac;
import ponte.adapters.whatsapp.store.DeviceCredentials;

/** The companion's checks on a pair-success, fed stanzas made here the way a primary phone makes them. */
class PairSuccessTest {

    private final SecureRandom random = new SecureRandom();
    private final DeviceCredentials companion = DeviceCredentials.generate(random);
    private final KeyPair account = KeyPair.generate(random);

    @Test
    void aGenuinePairSuccessIsCountersignedAndAnsweredWithPairDeviceSign() throws Exception {
        Node stanza = pairSuccess(signedBy(account, false), companion.advSecret(), false);

        var decision = PairSuccess.decide(stanza, companion, random);

        assertThat(decision).isInstanceOf(PairSuccess.Accepted.class);
        Node reply = decision.reply();
        assertThat(reply.attributes()).containsEntry("type", "result").containsEntry("id", "pair-1");
        Node identity = reply.child("pair-device-sign").flatMap(s -> s.child("device-identity")).orElseThrow();
        assertThat(identity.attributeOr("key-index", "")).isEqualTo("7");
        var returned = AdvSignedDeviceIdentity.parseFrom(identity.bytes().orElseThrow());
        assertThat(returned.hasAccountSignatureKey()).isFalse();
        byte[] details = returned.getDetails().toByteArray();
        assertThat(XEdDsa.verify(companion.identityKey().publicKey(), AdvSignatures.deviceMessage(details,
                companion.identityKey().publicKey(), account.publicKey()), returned.getDeviceSignature().toByteArray()))
                .isTrue();
        var stored = AdvSignedDeviceIdentity.parseFrom(((PairSuccess.Accepted) decision).account().signedIdentity());
        assertThat(stored.getAccountSignatureKey().toByteArray()).isEqualTo(account.publicKey());
        assertThat(((PairSuccess.Accepted) decision).account().jid()).isEqualTo("5511987650001:7@s.whatsapp.net");
    }

    @Test
    void aPairSuccessAuthenticatedWithAnotherAdvSecretIsRefusedWithHmacMismatch() {
        byte[] otherSecret = new byte[32];
        random.nextBytes(otherSecret);

        var decision = PairSuccess.decide(pairSuccess(signedBy(account, false), otherSecret, false), companion, random);

        assertRefused(decision, "401", "hmac-mismatch");
    }

    @Test
    void anAccountSignatureByAnotherKeyIsRefusedWithSignatureMismatch() {
        AdvSignedDeviceIdentity forged = signedBy(KeyPair.generate(random), false).toBuilder()
                .setAccountSignatureKey(ByteString.copyFrom(account.publicKey())).build();

        var decision = PairSuccess.decide(pairSuccess(forged, companion.advSecret(), false), companion, random);

        assertRefused(decision, "401", "signature-mismatch");
    }

    @Test
    void anAccountSignatureOverAnotherCompanionsIdentityIsRefused() {
        KeyPair someoneElse = KeyPair.generate(random);
        byte[] details = details(false);
        byte[] signature = XEdDsa.sign(account.privateKey(),
                AdvSignatures.accountMessage(false, details, someoneElse.publicKey()), random);

        var decision = PairSuccess.decide(pairSuccess(signed(details, signature), companion.advSecret(), false),
                companion, random);

        assertRefused(decision, "401", "signature-mismatch");
    }

    @Test
    void aHostedDeviceIsAcceptedOnlyWithTheHostedPrefixes() {
        var hosted = PairSuccess.decide(pairSuccess(signedBy(account, true), companion.advSecret(), true),
                companion, random);
        byte[] hostedDetails = details(true);
        byte[] e2eePrefixed = XEdDsa.sign(account.privateKey(),
                AdvSignatures.accountMessage(false, hostedDetails, companion.identityKey().publicKey()), random);
        var wrongPrefix = PairSuccess.decide(pairSuccess(signed(hostedDetails, e2eePrefixed), companion.advSecret(),
                true), companion, random);
        var hmacWithoutHostedPrefix = PairSuccess.decide(pairSuccess(signedBy(account, true), companion.advSecret(),
                false, true), companion, random);

        assertThat(hosted).isInstanceOf(PairSuccess.Accepted.class);
        assertRefused(wrongPrefix, "401", "signature-mismatch");
        assertRefused(hmacWithoutHostedPrefix, "401", "hmac-mismatch");
    }

    @Test
    void aPairSuccessWithoutADeviceIdentityIsRefusedAsAnInternalError() {
        Node stanza = Node.withChildren("iq", Node.attrs("from", "s.whatsapp.net", "type", "set", "id", "pair-1"),
                List.of(Node.withChildren("pair-success", Map.of(), List.of(Node.of("device",
                        Node.attrs("jid", "5511987650001:7@s.whatsapp.net"))))));

        assertRefused(PairSuccess.decide(stanza, companion, random), "500", "internal-error");
    }

    private static void assertRefused(PairSuccess.Decision decision, String code, String text) {
        assertThat(decision).isInstanceOf(PairSuccess.Rejected.class);
        Node reply = decision.reply();
        assertThat(reply.attributes()).containsEntry("type", "error").containsEntry("id", "pair-1");
        Node error = reply.child("error").orElseThrow();
        assertThat(error.attributes()).containsEntry("code", code).containsEntry("text", text);
    }

    private AdvSignedDeviceIdentity signedBy(KeyPair signer, boolean hosted) {
        byte[] details = details(hosted);
        return signed(details, XEdDsa.sign(signer.privateKey(),
                AdvSignatures.accountMessage(hosted, details, companion.identityKey().publicKey()), random))
                .toBuilder().setAccountSignatureKey(ByteString.copyFrom(signer.publicKey())).build();
    }

    private AdvSignedDeviceIdentity signed(byte[] details, byte[] signature) {
        return AdvSignedDeviceIdentity.newBuilder()
                .setDetails(ByteString.copyFrom(details))
                .setAccountSignatureKey(ByteString.copyFrom(account.publicKey()))
                .setAccountSignature(ByteString.copyFrom(signature))
                .build();
    }

    private static byte[] details(boolean hosted) {
        AdvEncryptionType type = hosted ? AdvEncryptionType.HOSTED : AdvEncryptionType.E2EE;
        return AdvDeviceIdentity.newBuilder().setRawId(42).setTimestamp(1_790_000_000L).setKeyIndex(7)
                .setAccountType(type).setDeviceType(type).build().toByteArray();
    }

    private static Node pairSuccess(AdvSignedDeviceIdentity signed, byte[] advSecret, boolean hosted) {
        return pairSuccess(signed, advSecret, hosted, hosted);
    }

    /** {@code hmacHosted} is what the HMAC covers; {@code declaredHosted} what the container says. */
    private static Node pairSuccess(AdvSignedDeviceIdentity signed, byte[] advSecret, boolean hmacHosted,
            boolean declaredHosted) {
        byte[] details = signed.toByteArray();
        var container = AdvSignedDeviceIdentityHmac.newBuilder()
                .setDetails(ByteString.copyFrom(details))
                .setHmac(ByteString.copyFrom(AdvSignatures.hmac(advSecret, hmacHosted, details)));
        if (declaredHosted) {
            container.setAccountType(AdvEncryptionType.HOSTED);
        }
        return Node.withChildren("iq", Node.attrs("from", "s.whatsapp.net", "type", "set", "id", "pair-1",
                "xmlns", "md"), List.of(Node.withChildren("pair-success", Map.of(), List.of(
                        Node.withBytes("device-identity", Map.of(), container.build().toByteArray()),
                        Node.of("platform", Node.attrs("name", "android")),
                        Node.of("device", Node.attrs("jid", "5511987650001:7@s.whatsapp.net",
                                "lid", "123456789012345:7@lid"))))));
    }
}
