package ponte.adapters.whatsapp.socket;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import ponte.adapters.whatsapp.crypto.KeyPair;

/**
 * An authenticated, encrypted frame channel to the server: WebSocket, framing, Noise handshake, then one
 * transport cipher per direction. It knows nothing of nodes or of the client above it.
 */
public final class NoiseSocket implements AutoCloseable {

    /**
     * Told the socket once it can send (before any frame arrives), then decrypted frames on the reader thread,
     * then exactly one {@code onDisconnected}.
     */
    public interface Listener {
        void onOpen(NoiseSocket socket);

        void onFrame(byte[] plaintext);

        void onDisconnected(Throwable cause);
    }

    private static final Object CLOSED = new Object();

    private final WebSocketClient webSocket;
    private final TransportCipher writer;

    private NoiseSocket(WebSocketClient webSocket, TransportCipher writer) {
        this.webSocket = webSocket;
        this.writer = writer;
    }

    public static NoiseSocket connect(SocketSettings settings, KeyPair noiseKey, byte[] clientPayload,
            Clock clock, SecureRandom random, Listener listener) throws IOException, HandshakeException {
        var reader = new Reader(listener);
        WebSocketClient webSocket = WebSocketClient.connect(settings.url(), Map.of("Origin", settings.origin()),
                settings.opener(), settings.timeout(), random, reader);
        try {
            var handshake = new ClientHandshake(KeyPair.generate(random), settings.trustRoot());
            byte[] hello = FrameDecoder.frame(handshake.hello());
            byte[] first = new byte[NoiseConstants.INTRO_HEADER.length + hello.length];
            System.arraycopy(NoiseConstants.INTRO_HEADER, 0, first, 0, NoiseConstants.INTRO_HEADER.length);
            System.arraycopy(hello, 0, first, NoiseConstants.INTRO_HEADER.length, hello.length);
            webSocket.sendBinary(first);

            byte[] serverHello = reader.awaitHandshakeFrame(settings.timeout().toMillis());
            var finished = handshake.finish(serverHello, noiseKey, clientPayload, clock.instant());
            NoiseSocket socket = new NoiseSocket(webSocket, finished.keys().writer());
            listener.onOpen(socket);
            reader.startTransport(finished.keys().reader());
            webSocket.sendBinary(FrameDecoder.frame(finished.message()));
            return socket;
        } catch (IOException | HandshakeException | RuntimeException e) {
            webSocket.close();
            throw e;
        }
    }

    /** Encrypts and sends one frame; sealing and writing happen under one lock so counters follow wire order. */
    public synchronized void send(byte[] plaintext) throws IOException {
        webSocket.sendBinary(FrameDecoder.frame(writer.seal(plaintext)));
    }

    @Override
    public void close() {
        webSocket.close();
    }

    /** Queues frames while the handshake reads them synchronously, then decrypts and forwards them. */
    private static final class Reader implements WebSocketClient.Listener {
        private final Listener listener;
        private final FrameDecoder decoder = new FrameDecoder();
        private final BlockingQueue<Object> handshakeFrames = new LinkedBlockingQueue<>();
        private volatile TransportCipher transport;

        Reader(Listener listener) {
            this.listener = listener;
        }

        @Override
        public void onBinary(byte[] message) {
            for (byte[] frame : decoder.feed(message)) {
                TransportCipher cipher = transport;
                if (cipher == null) {
                    handshakeFrames.add(frame);
                } else {
                    listener.onFrame(cipher.open(frame));
                }
            }
        }

        @Override
        public void onClosed(Throwable cause) {
            if (transport == null) {
                handshakeFrames.add(CLOSED);
            } else {
                listener.onDisconnected(cause);
            }
        }

        byte[] awaitHandshakeFrame(long timeoutMillis) throws IOException {
            try {
                Object frame = handshakeFrames.poll(timeoutMillis, TimeUnit.MILLISECONDS);
                if (frame == null) {
                    throw new IOException("the server did not answer the handshake in time");
                }
                if (frame == CLOSED) {
                    throw new IOException("the server closed the connection during the handshake");
                }
                return (byte[]) frame;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted during the handshake", e);
            }
        }

        void startTransport(TransportCipher cipher) {
            transport = cipher;
        }
    }
}
