package ponte.adapters.whatsapp.client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.crypto.Bytes;
import ponte.adapters.whatsapp.crypto.CryptoException;
import ponte.adapters.whatsapp.crypto.Curve25519;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.crypto.LinkCode;
import ponte.adapters.whatsapp.store.DeviceCredentials;

/**
 * The companion's half of linking by code (whatsmeow pair-code.go, Baileys requestPairingCode): a
 * {@code companion_hello} carrying our ephemeral key wrapped with the code, then, when the phone answers with its
 * own wrapped ephemeral key, a {@code companion_finish} carrying our key bundle, and a new ADV secret that the
 * phone derives too. The pair-success that follows is checked against that secret.
 */
final class PairCode {

    /** Companion platform id 1 is Chrome; the display must be "Browser (OS)", which the server validates. */
    static final String PLATFORM_ID = "1";
    static final String PLATFORM_DISPLAY = "Chrome (Linux)";

    /** A code handed out and the keys waiting for the phone's answer. */
    record Pending(String code, KeyPair ephemeral, String phoneJid, String ref) {
    }

    /** The companion_finish content and the ADV secret it implies. */
    record Finish(List<Node> request, byte[] advSecret) {
    }

    private PairCode() {
    }

    /** Digits only, at least 7 of them and not starting with 0: an international number without "+". */
    static String phoneJid(String phone) {
        String digits = phone.replaceAll("[^0-9]", "");
        if (digits.length() <= 6 || digits.startsWith("0")) {
            throw new IllegalArgumentException("the phone number must be international, digits only: " + phone);
        }
        return digits + "@" + Jid.USER_SERVER;
    }

    static Node hello(String phoneJid, String code, KeyPair ephemeral, byte[] noisePublic, SecureRandom random) {
        return Node.withChildren("link_code_companion_reg",
                Node.attrs("jid", phoneJid, "stage", "companion_hello", "should_show_push_notification", "true"),
                List.of(Node.withBytes("link_code_pairing_wrapped_companion_ephemeral_pub", Map.of(),
                                LinkCode.wrap(code, ephemeral.publicKey(), random)),
                        Node.withBytes("companion_server_auth_key_pub", Map.of(), noisePublic),
                        Node.withText("companion_platform_id", Map.of(), PLATFORM_ID),
                        Node.withText("companion_platform_display", Map.of(), PLATFORM_DISPLAY),
                        Node.withBytes("link_code_pairing_nonce", Map.of(), new byte[] {0})));
    }

    /** The ref the server gave the hello, which the phone's notification must name. */
    static String ref(Node helloResult) {
        return helloResult.child("link_code_companion_reg").flatMap(reg -> reg.child("link_code_pairing_ref"))
                .flatMap(Node::text)
                .orElseThrow(() -> new IllegalStateException("the server's answer has no link_code_pairing_ref"));
    }

    /** Answers the phone's notification; fails when it names another ref or carries malformed keys. */
    static Finish finish(Pending pending, Node registration, DeviceCredentials credentials, SecureRandom random) {
        String ref = child(registration, "link_code_pairing_ref")
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8)).orElse("");
        if (!MessageDigest.isEqual(ref.getBytes(StandardCharsets.UTF_8),
                pending.ref().getBytes(StandardCharsets.UTF_8))) {
            throw new IllegalStateException("the notification names another pairing ref");
        }
        byte[] wrappedPrimary = child(registration, "link_code_pairing_wrapped_primary_ephemeral_pub")
                .orElseThrow(() -> new IllegalStateException("no wrapped primary ephemeral key"));
        byte[] primaryIdentity = child(registration, "primary_identity_pub")
                .filter(key -> key.length == 32)
                .orElseThrow(() -> new IllegalStateException("no primary identity key"));
        byte[] primaryEphemeral = LinkCode.unwrap(pending.code(), wrappedPrimary);
        byte[] ephemeralShared;
        byte[] identityShared;
        try {
            ephemeralShared = Curve25519.agree(pending.ephemeral().privateKey(), primaryEphemeral);
            identityShared = Curve25519.agree(credentials.identityKey().privateKey(), primaryIdentity);
        } catch (CryptoException e) {
            throw new IllegalStateException("the phone's keys do not agree", e);
        }
        byte[] bundleRandom = new byte[32];
        random.nextBytes(bundleRandom);
        byte[] identity = credentials.identityKey().publicKey();
        byte[] bundle = LinkCode.sealBundle(ephemeralShared,
                Bytes.concat(identity, primaryIdentity, bundleRandom), random);
        Node request = Node.withChildren("link_code_companion_reg",
                Node.attrs("jid", pending.phoneJid(), "stage", "companion_finish"),
                List.of(Node.withBytes("link_code_pairing_wrapped_key_bundle", Map.of(), bundle),
                        Node.withBytes("companion_identity_public", Map.of(), identity),
                        Node.withBytes("link_code_pairing_ref", Map.of(), ref.getBytes(StandardCharsets.UTF_8))));
        return new Finish(List.of(request), LinkCode.advSecret(ephemeralShared, identityShared, bundleRandom));
    }

    private static java.util.Optional<byte[]> child(Node parent, String tag) {
        return parent.child(tag).flatMap(Node::bytes);
    }
}
