package ponte.adapters.whatsapp.sandbox;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.binary.NodeDecoder;
import ponte.adapters.whatsapp.binary.NodeEncoder;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.socket.FrameDecoder;
import ponte.adapters.whatsapp.socket.HandshakeException;
import ponte.adapters.whatsapp.socket.TransportCipher;

/**
 * One client connection to the sandbox: WebSocket messages, framing, the responder's handshake, then encrypted
 * nodes handed to the {@link ChatSession}. It sits on Jetty's core WebSocket API, which calls it through an
 * interface rather than by reflection, so the package stays closed. Jetty delivers one frame at a time.
 */
final class SandboxEndpoint implements FrameHandler {

    private static final System.Logger LOG = System.getLogger(SandboxEndpoint.class.getName());

    private final SandboxContext context;
    private final FrameDecoder decoder = FrameDecoder.expectingIntroHeader();
    private final ServerHandshake handshake;
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();
    private volatile CoreSession session;
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
    public void onOpen(CoreSession opened, Callback callback) {
        this.session = opened;
        opened.setIdleTimeout(context.options().idleTimeout());
        callback.succeeded();
        opened.demand();
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
        byte opCode = frame.getOpCode();
        if (opCode == OpCode.PING) {
            session.sendFrame(new Frame(OpCode.PONG).setPayload(copy(frame.getPayload())), callback, false);
        } else if (opCode == OpCode.BINARY || opCode == OpCode.CONTINUATION) {
            message.writeBytes(copy(frame.getPayload()));
            if (frame.isFin()) {
                byte[] data = message.toByteArray();
                message.reset();
                receive(data);
            }
            callback.succeeded();
        } else {
            callback.succeeded();
        }
        if (opCode != OpCode.CLOSE) {
            session.demand();
        }
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
        LOG.log(System.Logger.Level.DEBUG, "sandbox connection error", cause);
        callback.succeeded();
    }

    @Override
    public void onClosed(CloseStatus closeStatus, Callback callback) {
        if (chat != null) {
            chat.closed();
        }
        callback.succeeded();
    }

    private void receive(byte[] data) {
        try {
            for (byte[] frame : decoder.feed(data)) {
                onFrame(frame);
            }
        } catch (HandshakeException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "sandbox connection dropped", e);
            hangUp();
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
        CoreSession current = session;
        if (current == null || !current.isOutputOpen()) {
            return;
        }
        sendRaw(FrameDecoder.frame(writer.seal(NodeEncoder.marshal(node))));
    }

    private void sendRaw(byte[] bytes) {
        session.sendFrame(new Frame(OpCode.BINARY, ByteBuffer.wrap(bytes)), Callback.NOOP, false);
    }

    /** Closes after what was already queued has been written, as the real server does after a failure node. */
    synchronized void hangUp() {
        CoreSession current = session;
        if (current != null && current.isOutputOpen()) {
            current.close(CloseStatus.NORMAL, "", Callback.NOOP);
        }
    }

    private static byte[] copy(ByteBuffer payload) {
        if (payload == null) {
            return new byte[0];
        }
        byte[] bytes = new byte[payload.remaining()];
        payload.slice().get(bytes);
        return bytes;
    }
}
