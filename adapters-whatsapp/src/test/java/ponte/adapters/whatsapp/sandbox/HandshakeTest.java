package ponte.adapters.whatsapp.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.crypto.CryptoException;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.socket.ClientHandshake;
import ponte.adapters.whatsapp.socket.HandshakeException;
import ponte.adapters.whatsapp.socket.TransportKeys;

/** Our client's and our sandbox's halves of the handshake, run against each other in memory. */
class HandshakeTest {

    private static final Instant NOW = Instant.parse("2026-11-21T06:00:00Z");
    private final SecureRandom random = new SecureRandom();
    private final TestChains chains = new TestChains(NOW);
    private final KeyPair noiseKey = KeyPair.generate(random);

    @Test
    void bothSidesDeriveCrossedTransportKeysAndTheServerLearnsTheClient() throws Exception {
        var server = new ServerHandshake(KeyPair.generate(random), chains.serverStatic, chains.valid());
        var client = new ClientHandshake(KeyPair.generate(random), chains.trustRoot());

        byte[] serverHello = server.answerHello(client.hello());
        ClientHandshake.Finished finished = client.finish(serverHello, noiseKey, "payload".getBytes(), NOW);
        ServerHandshake.Finished accepted = server.acceptFinish(finished.message());

        TransportKeys clientKeys = finished.keys();
        assertThat(accepted.clientStatic()).isEqualTo(noiseKey.publicKey());
        assertThat(accepted.clientPayload()).isEqualTo("payload".getBytes());
        assertThat(clientKeys.writeKey()).isEqualTo(accepted.keys().readKey());
        assertThat(clientKeys.readKey()).isEqualTo(accepted.keys().writeKey());
        assertThat(clientKeys.writeKey()).isNotEqualTo(clientKeys.readKey());
    }

    @Test
    void transportCountersRunSeparatelyPerDirection() throws Exception {
        var server = new ServerHandshake(KeyPair.generate(random), chains.serverStatic, chains.valid());
        var client = new ClientHandshake(KeyPair.generate(random), chains.trustRoot());
        var finished = client.finish(server.answerHello(client.hello()), noiseKey, new byte[0], NOW);
        var accepted = server.acceptFinish(finished.message());
        var clientWriter = finished.keys().writer();
        var clientReader = finished.keys().reader();
        var serverWriter = accepted.keys().writer();
        var serverReader = accepted.keys().reader();

        byte[] up1 = clientWriter.seal("a".getBytes());
        byte[] down1 = serverWriter.seal("b".getBytes());
        byte[] up2 = clientWriter.seal("c".getBytes());

        assertThat(serverReader.open(up1)).isEqualTo("a".getBytes());
        assertThat(clientReader.open(down1)).isEqualTo("b".getBytes());
        assertThat(serverReader.open(up2)).isEqualTo("c".getBytes());
    }

    @Test
    void aValidChainIsAcceptedAndItsSessionKeysCarryFramesBothWays() throws Exception {
        var server = new ServerHandshake(KeyPair.generate(random), chains.serverStatic, chains.valid());
        var client = new ClientHandshake(KeyPair.generate(random), chains.trustRoot());
        ClientHandshake.Finished finished = client.finish(server.answerHello(client.hello()), noiseKey,
                "payload".getBytes(), NOW);
        ServerHandshake.Finished accepted = server.acceptFinish(finished.message());

        var clientWriter = finished.keys().writer();
        var serverReader = accepted.keys().reader();
        var serverWriter = accepted.keys().writer();
        var clientReader = finished.keys().reader();
        byte[] up = clientWriter.seal("<iq id=1/>".getBytes());
        byte[] down = serverWriter.seal("<iq id=1 type=result/>".getBytes());

        assertThat(up).isNotEqualTo("<iq id=1/>".getBytes());
        assertThat(serverReader.open(up)).isEqualTo("<iq id=1/>".getBytes());
        assertThat(clientReader.open(down)).isEqualTo("<iq id=1 type=result/>".getBytes());
        // the keys are the session's own: a reader of another session's keys cannot open these frames
        var other = handshakeWith(TestChains::valid);
        assertThatThrownBy(() -> other.keys().reader().open(clientWriter.seal("x".getBytes())))
                .isInstanceOf(CryptoException.class).hasMessageContaining("authentication failed");
    }

    @Test
    void aForgedLeafSignatureIsRejected() {
        assertRejected(TestChains::forgedLeafSignature, "leaf certificate is not signed");
    }

    @Test
    void aChainFromAnotherRootIsRejected() {
        assertRejected(TestChains::signedByAnotherRoot, "not signed by the trust root");
    }

    @Test
    void anExpiredLeafIsRejected() {
        assertRejected(TestChains::expiredLeaf, "leaf certificate expired");
    }

    @Test
    void aLeafForAnotherKeyThanTheServerStaticIsRejected() {
        assertRejected(TestChains::leafForAnotherKey, "does not certify the server's static key");
    }

    @Test
    void anIntermediateNamingAnotherIssuerSerialIsRejected() {
        assertRejected(TestChains::intermediateNamingAnotherIssuer, "issuer serial 5");
    }

    @Test
    void aLeafNotIssuedByTheIntermediateSerialIsRejected() {
        assertRejected(TestChains::leafNamingAnotherIssuer, "expected the intermediate's");
    }

    private ClientHandshake.Finished handshakeWith(Function<TestChains, byte[]> chain) throws HandshakeException {
        var server = new ServerHandshake(KeyPair.generate(random), chains.serverStatic, chain.apply(chains));
        var client = new ClientHandshake(KeyPair.generate(random), chains.trustRoot());
        return client.finish(server.answerHello(client.hello()), noiseKey, new byte[0], NOW);
    }

    private void assertRejected(Function<TestChains, byte[]> chain, String reason) {
        assertThatThrownBy(() -> handshakeWith(chain)).isInstanceOf(HandshakeException.class)
                .hasMessageContaining(reason);
    }
}
