package ponte.adapters.whatsapp.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.binary.NodeEncoder;
import ponte.adapters.whatsapp.crypto.AesGcm;
import ponte.adapters.whatsapp.crypto.Hkdf;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.oracle.BaileysOracle;
import ponte.adapters.whatsapp.proto.Wire.HandshakeMessage;
import ponte.adapters.whatsapp.socket.ClientHandshake;
import ponte.adapters.whatsapp.socket.FrameDecoder;
import ponte.adapters.whatsapp.socket.NoiseConstants;
import ponte.adapters.whatsapp.socket.TransportCipher;

/** Known-answer checks against Baileys with the same fixed keys on both sides. */
class BaileysNoiseOracleTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final Instant NOW = Instant.parse("2026-11-21T06:00:00Z");
    private final Random seeded = new Random(515);

    @Test
    void hkdfMatchesBaileysForSaltsInfosAndLengths() {
        for (int i = 0; i < 50; i++) {
            byte[] ikm = bytes(i % 7 == 0 ? 0 : 1 + seeded.nextInt(64));
            byte[] salt = bytes(32);
            String info = i % 2 == 0 ? "" : "WhatsApp Image Keys";
            int length = 1 + seeded.nextInt(112);
            ObjectNode request = BaileysOracle.request("hkdf").put("ikm", HEX.formatHex(ikm))
                    .put("salt", HEX.formatHex(salt)).put("info", info).put("length", length);

            String theirs = BaileysOracle.get().call(request).path("hex").asText();

            assertThat(HEX.formatHex(Hkdf.sha256(ikm, salt, info.getBytes(), length))).isEqualTo(theirs);
        }
    }

    @Test
    void aesGcmWithCounterNoncesMatchesBaileys() {
        for (int counter : new int[] {0, 1, 255, 256, 0x01020304, -1}) {
            byte[] key = bytes(32);
            byte[] plaintext = bytes(seeded.nextInt(100));
            byte[] aad = bytes(32);
            byte[] iv = AesGcm.counterNonce(counter);
            ObjectNode request = BaileysOracle.request("gcm").put("key", HEX.formatHex(key))
                    .put("iv", HEX.formatHex(iv)).put("plaintext", HEX.formatHex(plaintext))
                    .put("aad", HEX.formatHex(aad));

            String theirs = BaileysOracle.get().call(request).path("hex").asText();

            assertThat(HEX.formatHex(AesGcm.encrypt(key, iv, plaintext, aad))).isEqualTo(theirs);
        }
    }

    @Test
    void withFixedKeysBaileysAndWeSealTheSameHandshakeAndTransportBytes() throws Exception {
        KeyPair clientEphemeral = KeyPair.fromPrivate(clamped());
        KeyPair noiseKey = KeyPair.fromPrivate(clamped());
        TestChains chains = new TestChains(NOW);
        var server = new ServerHandshake(KeyPair.fromPrivate(clamped()), chains.serverStatic, chains.valid());
        var client = new ClientHandshake(clientEphemeral, chains.trustRoot());
        byte[] hello = client.hello();
        byte[] serverHello = server.answerHello(hello);
        byte[] payload = bytes(90);
        ClientHandshake.Finished ours = client.finish(serverHello, noiseKey, payload, NOW);
        HandshakeMessage.ClientFinish ourFinish = HandshakeMessage.parseFrom(ours.message()).getClientFinish();
        List<byte[]> transportFrames = List.of(bytes(10), bytes(300), bytes(1));
        Node serverNode = Node.withChildren("iq", Node.attrs("id", "1", "type", "get", "xmlns", "urn:xmpp:ping"),
                List.of(Node.of("ping")));

        ObjectNode request = BaileysOracle.request("noiseClient")
                .put("rootPublicKey", HEX.formatHex(chains.trustRoot().publicKey()))
                .put("ephemeralPrivate", HEX.formatHex(clientEphemeral.privateKey()))
                .put("ephemeralPublic", HEX.formatHex(clientEphemeral.publicKey()))
                .put("noisePrivate", HEX.formatHex(noiseKey.privateKey()))
                .put("noisePublic", HEX.formatHex(noiseKey.publicKey()))
                .put("serverHello", HEX.formatHex(serverHello))
                .put("payload", HEX.formatHex(payload));
        transportFrames.forEach(frame -> request.withArray("transportFrames").add(HEX.formatHex(frame)));
        var accepted = server.acceptFinish(ours.message());
        request.withArray("serverFrames").add(HEX.formatHex(
                FrameDecoder.frame(accepted.keys().writer().seal(NodeEncoder.marshal(serverNode)))));
        JsonNode theirs = BaileysOracle.get().call(request);

        assertThat(theirs.path("firstBytes").asText())
                .isEqualTo(HEX.formatHex(concat(NoiseConstants.introHeader(), FrameDecoder.frame(hello))));
        assertThat(theirs.path("sealedStatic").asText()).isEqualTo(HEX.formatHex(ourFinish.getStatic().toByteArray()));
        assertThat(theirs.path("sealedPayload").asText())
                .isEqualTo(HEX.formatHex(ourFinish.getPayload().toByteArray()));
        TransportCipher writer = ours.keys().writer();
        List<String> ourFrames = new ArrayList<>();
        transportFrames.forEach(frame -> ourFrames.add(HEX.formatHex(FrameDecoder.frame(writer.seal(frame)))));
        List<String> theirFrames = new ArrayList<>();
        theirs.path("sealedFrames").forEach(frame -> theirFrames.add(frame.asText()));
        assertThat(theirFrames).isEqualTo(ourFrames);
        assertThat(BaileysOracle.fromJson(theirs.path("received").get(0))).isEqualTo(serverNode);
    }

    @Test
    void ourServerAcceptsTheClientFinishBaileysSeals() throws Exception {
        KeyPair clientEphemeral = KeyPair.fromPrivate(clamped());
        KeyPair noiseKey = KeyPair.fromPrivate(clamped());
        TestChains chains = new TestChains(NOW);
        var server = new ServerHandshake(KeyPair.fromPrivate(clamped()), chains.serverStatic, chains.valid());
        byte[] payload = bytes(40);
        byte[] helloMessage = HandshakeMessage.newBuilder().setClientHello(HandshakeMessage.ClientHello.newBuilder()
                .setEphemeral(ByteString.copyFrom(clientEphemeral.publicKey()))).build().toByteArray();
        byte[] serverHello = server.answerHello(helloMessage);
        ObjectNode request = BaileysOracle.request("noiseClient")
                .put("rootPublicKey", HEX.formatHex(chains.trustRoot().publicKey()))
                .put("ephemeralPrivate", HEX.formatHex(clientEphemeral.privateKey()))
                .put("ephemeralPublic", HEX.formatHex(clientEphemeral.publicKey()))
                .put("noisePrivate", HEX.formatHex(noiseKey.privateKey()))
                .put("noisePublic", HEX.formatHex(noiseKey.publicKey()))
                .put("serverHello", HEX.formatHex(serverHello))
                .put("payload", HEX.formatHex(payload));
        request.putArray("transportFrames");
        request.putArray("serverFrames");
        JsonNode theirs = BaileysOracle.get().call(request);
        byte[] finish = HandshakeMessage.newBuilder().setClientFinish(HandshakeMessage.ClientFinish.newBuilder()
                .setStatic(ByteString.copyFrom(HEX.parseHex(theirs.path("sealedStatic").asText())))
                .setPayload(ByteString.copyFrom(HEX.parseHex(theirs.path("sealedPayload").asText()))))
                .build().toByteArray();

        ServerHandshake.Finished accepted = server.acceptFinish(finish);

        assertThat(accepted.clientStatic()).isEqualTo(noiseKey.publicKey());
        assertThat(accepted.clientPayload()).isEqualTo(payload);
    }

    private byte[] clamped() {
        byte[] scalar = bytes(32);
        scalar[0] &= (byte) 248;
        scalar[31] &= 127;
        scalar[31] |= 64;
        return scalar;
    }

    private byte[] bytes(int n) {
        byte[] out = new byte[n];
        seeded.nextBytes(out);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
