package ponte.adapters.whatsapp.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import ponte.adapters.whatsapp.crypto.CryptoException;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.fuzz.NetworkInput;
import ponte.adapters.whatsapp.fuzz.Seeds;
import ponte.adapters.whatsapp.socket.CertificateVerifier;
import ponte.adapters.whatsapp.socket.ClientHandshake;
import ponte.adapters.whatsapp.socket.HandshakeException;

/**
 * Coverage-guided fuzzing of the Noise handshake messages the server sends (issue 17 item 3): a server hello, and the
 * certificate chain inside it, are either accepted or refused with {@link HandshakeException}. Every key is derived
 * from a fixed name, so the seeds (a real server hello and a real chain from the sandbox's server half) stay valid
 * from run to run and mutations start past the AEAD and the signatures.
 */
class HandshakeFuzzTest {

    private static final Instant NOW = Instant.parse("2026-11-21T06:00:00Z");
    private static final KeyPair ROOT = fixed("root");
    private static final KeyPair SERVER_STATIC = fixed("server static");
    private static final KeyPair SERVER_EPHEMERAL = fixed("server ephemeral");
    private static final KeyPair CLIENT_EPHEMERAL = fixed("client ephemeral");
    private static final KeyPair NOISE_KEY = fixed("noise key");
    private static final CertificateAuthority AUTHORITY = new CertificateAuthority(ROOT, new SecureRandom());

    @FuzzTest(maxDuration = "90s")
    void serverHello(byte[] message) {
        var client = new ClientHandshake(CLIENT_EPHEMERAL, AUTHORITY.trustRoot());
        client.hello();
        NetworkInput.decodes(message.length, () -> client.finish(message, NOISE_KEY, new byte[8], NOW),
                HandshakeException.class, CryptoException.class);
    }

    @FuzzTest(maxDuration = "90s")
    void certificateChain(byte[] chain) {
        var verifier = new CertificateVerifier(AUTHORITY.trustRoot());
        NetworkInput.decodes(chain.length, () -> verifier.verify(chain, SERVER_STATIC.publicKey(), NOW),
                HandshakeException.class, CryptoException.class);
    }

    /** The seeds are what the sandbox's server sends, and the client accepts them. */
    @Test
    void seedsAreARealHandshake() throws HandshakeException {
        byte[] chain = AUTHORITY.issueChain(SERVER_STATIC.publicKey(), NOW);
        var client = new ClientHandshake(CLIENT_EPHEMERAL, AUTHORITY.trustRoot());
        byte[] hello = new ServerHandshake(SERVER_EPHEMERAL, SERVER_STATIC, chain).answerHello(client.hello());
        Seeds.write(HandshakeFuzzTest.class, "serverHello", hello);
        Seeds.write(HandshakeFuzzTest.class, "certificateChain", chain);
        assertThat(client.finish(hello, NOISE_KEY, new byte[8], NOW).keys()).isNotNull();
        new CertificateVerifier(AUTHORITY.trustRoot()).verify(chain, SERVER_STATIC.publicKey(), NOW);
    }

    private static KeyPair fixed(String name) {
        try {
            return KeyPair.fromPrivate(MessageDigest.getInstance("SHA-256").digest(name.getBytes()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
