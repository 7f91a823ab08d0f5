package ponte.adapters.whatsapp.sandbox;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.proto.Wire.HandshakeMessage;
import ponte.adapters.whatsapp.socket.HandshakeException;
import ponte.adapters.whatsapp.socket.HandshakeState;
import ponte.adapters.whatsapp.socket.NoiseConstants;
import ponte.adapters.whatsapp.socket.TransportKeys;

/** The responder's side of WhatsApp's Noise XX handshake: what the real chat server does, for the sandbox. */
final class ServerHandshake {

    private final HandshakeState state = new HandshakeState(NoiseConstants.introHeader());
    private final KeyPair ephemeral;
    private final KeyPair serverStatic;
    private final byte[] certificateChain;

    ServerHandshake(KeyPair ephemeral, KeyPair serverStatic, byte[] certificateChain) {
        this.ephemeral = ephemeral;
        this.serverStatic = serverStatic;
        this.certificateChain = certificateChain.clone();
    }

    byte[] answerHello(byte[] clientHelloMessage) throws HandshakeException {
        HandshakeMessage message = parse(clientHelloMessage);
        byte[] clientEphemeral = message.getClientHello().getEphemeral().toByteArray();
        if (!message.hasClientHello() || clientEphemeral.length != 32) {
            throw new HandshakeException("expected a client hello with a 32-byte ephemeral key");
        }
        state.mixHash(clientEphemeral);
        state.mixHash(ephemeral.publicKey());
        state.mixSharedSecret(ephemeral.privateKey(), clientEphemeral);
        byte[] sealedStatic = state.encrypt(serverStatic.publicKey());
        state.mixSharedSecret(serverStatic.privateKey(), clientEphemeral);
        byte[] sealedChain = state.encrypt(certificateChain);
        return HandshakeMessage.newBuilder()
                .setServerHello(HandshakeMessage.ServerHello.newBuilder()
                        .setEphemeral(ByteString.copyFrom(ephemeral.publicKey()))
                        .setStatic(ByteString.copyFrom(sealedStatic))
                        .setPayload(ByteString.copyFrom(sealedChain)))
                .build().toByteArray();
    }

    Finished acceptFinish(byte[] clientFinishMessage) throws HandshakeException {
        HandshakeMessage message = parse(clientFinishMessage);
        if (!message.hasClientFinish()) {
            throw new HandshakeException("expected a client finish");
        }
        byte[] clientStatic = state.decrypt(message.getClientFinish().getStatic().toByteArray());
        if (clientStatic.length != 32) {
            throw new HandshakeException("the client static key is not 32 bytes");
        }
        state.mixSharedSecret(ephemeral.privateKey(), clientStatic);
        byte[] payload = state.decrypt(message.getClientFinish().getPayload().toByteArray());
        return new Finished(clientStatic, payload, state.split(false));
    }

    private static HandshakeMessage parse(byte[] bytes) throws HandshakeException {
        try {
            return HandshakeMessage.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new HandshakeException("not a HandshakeMessage", e);
        }
    }

    /** The client's authenticated static key, its ClientPayload bytes, and the transport keys. */
    record Finished(byte[] clientStatic, byte[] clientPayload, TransportKeys keys) {
    }
}
