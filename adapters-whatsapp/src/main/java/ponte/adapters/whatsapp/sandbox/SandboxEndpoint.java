package ponte.adapters.whatsapp.sandbox;

import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.binary.NodeDecoder;
import ponte.adapters.whatsapp.binary.NodeEncoder;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.socket.FrameDecoder;
import ponte.adapters.whatsapp.socket.HandshakeException;
import ponte.adapters.whatsapp.socket.TransportCipher;

/**
 * One client connection to the sandbox: framing, the responder's handshake, then encrypted nodes handed to the
 * {@link ChatSession}. Jetty calls it on one thread at a time per connection.
 */
public final class SandboxEndpoint implements Session.Listener.AutoDemanding {

    private static final System.Logger LOG = System.getLogger(SandboxEndpoint.class.getName());

    private final SandboxContext context;
    private final FrameDecoder decoder = FrameDecoder.expectingIntroHeader();
    private final ServerHandshake handshake;
    private Session session;
    private TransportCipher reader;
    private TransportCipher writer;
    private ChatSession chat;
    private boolean helloAnswered;

    SandboxEndpoint(SandboxContext context) {
        this.context = context;
        this.handshake = new ServerHandshake(KeyPair.generate(context.random()), context.serverStatic(),
                context.chainIssuer().apply(context.serverStatic().publicKey()));
    }

    @Override
    public void onWebSocketOpen(Session opened) {
        this.session = opened;
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        byte[] data = new byte[payload.remaining()];
        payload.get(data);
        try {
            for (byte[] frame : decoder.feed(data)) {
                onFrame(frame);
            }
            callback.succeed();
        } catch (HandshakeException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "sandbox connection dropped", e);
            callback.fail(e);
            hangUp();
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        if (chat != null) {
            chat.closed();
        }
    }

    private void onFrame(byte[] frame) throws HandshakeException {
        if (chat != null) {
            chat.receive(NodeDecoder.unmarshal(reader.open(frame)));
        } else if (!helloAnswered) {
            helloAnswered = true;
            sendRaw(FrameDecoder.frame(handshake.answerHello(frame)));
        } else {
            ServerHandshake.Finished finished = handshake.acceptFinish(frame);
            reader = finished.keys().reader();
            writer = finished.keys().writer();
            chat = new ChatSession(context, this, finished.clientStatic());
            chat.start(finished.clientPayload());
        }
    }

    /** Encrypts and sends a node; sealing and sending stay in one lock so counters follow wire order. */
    synchronized void send(Node node) {
        if (session == null || !session.isOpen()) {
            return;
        }
        sendRaw(FrameDecoder.frame(writer.seal(NodeEncoder.marshal(node))));
    }

    private void sendRaw(byte[] bytes) {
        session.sendBinary(ByteBuffer.wrap(bytes), Callback.NOOP);
    }

    /** Closes after what was already queued has been written, as the real server does after a failure node. */
    synchronized void hangUp() {
        if (session != null && session.isOpen()) {
            session.close(1000, "", Callback.NOOP);
        }
    }
}
