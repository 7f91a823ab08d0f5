package ponte.adapters.whatsapp.socket;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Instant;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.proto.Wire.HandshakeMessage;

/**
 * The initiator's side of the Noise XX handshake as pure message processing, so the same steps run over a
 * socket and in known-answer tests against Baileys.
 */
public final class ClientHandshake {

    private final HandshakeState state = new HandshakeState(NoiseConstants.introHeader());
    private final KeyPair ephemeral;
    private final CertificateVerifier verifier;

    public ClientHandshake(KeyPair ephemeral, TrustRoot root) {
        this.ephemeral = ephemeral;
        this.verifier = new CertificateVerifier(root);
    }

    /** The first handshake message; the caller frames it behind the intro header. */
    public byte[] hello() {
        state.mixHash(ephemeral.publicKey());
        return HandshakeMessage.newBuilder()
                .setClientHello(HandshakeMessage.ClientHello.newBuilder()
                        .setEphemeral(ByteString.copyFrom(ephemeral.publicKey())))
                .build().toByteArray();
    }

    /** Verifies the server, then seals our static key and the client payload into the last message. */
    public Finished finish(byte[] serverHelloMessage, KeyPair noiseKey, byte[] clientPayload, Instant now)
            throws HandshakeException {
        HandshakeMessage.ServerHello hello = parse(serverHelloMessage);
        byte[] serverEphemeral = hello.getEphemeral().toByteArray();
        if (serverEphemeral.length != 32) {
            throw new HandshakeException("the server hello has no 32-byte ephemeral key");
        }
        state.mixHash(serverEphemeral);
        state.mixSharedSecret(ephemeral.privateKey(), serverEphemeral);
        byte[] serverStatic = state.decrypt(hello.getStatic().toByteArray());
        if (serverStatic.length != 32) {
            throw new HandshakeException("the server static key is not 32 bytes");
        }
        state.mixSharedSecret(ephemeral.privateKey(), serverStatic);
        byte[] certificates = state.decrypt(hello.getPayload().toByteArray());
        verifier.verify(certificates, serverStatic, now);

        byte[] sealedStatic = state.encrypt(noiseKey.publicKey());
        state.mixSharedSecret(noiseKey.privateKey(), serverEphemeral);
        byte[] sealedPayload = state.encrypt(clientPayload);
        byte[] message = HandshakeMessage.newBuilder()
                .setClientFinish(HandshakeMessage.ClientFinish.newBuilder()
                        .setStatic(ByteString.copyFrom(sealedStatic))
                        .setPayload(ByteString.copyFrom(sealedPayload)))
                .build().toByteArray();
        return new Finished(message, state.split(true));
    }

    private static HandshakeMessage.ServerHello parse(byte[] message) throws HandshakeException {
        try {
            HandshakeMessage parsed = HandshakeMessage.parseFrom(message);
            if (!parsed.hasServerHello()) {
                throw new HandshakeException("expected a server hello");
            }
            return parsed.getServerHello();
        } catch (InvalidProtocolBufferException e) {
            throw new HandshakeException("the server hello is not a HandshakeMessage", e);
        }
    }

    /** The client-finish message to send and the transport keys. */
    public record Finished(byte[] message, TransportKeys keys) {
    }
}
