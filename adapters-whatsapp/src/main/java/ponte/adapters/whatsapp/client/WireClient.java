package ponte.adapters.whatsapp.client;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import ponte.adapters.whatsapp.binary.Jid;
import ponte.adapters.whatsapp.binary.Node;
import ponte.adapters.whatsapp.binary.NodeDecoder;
import ponte.adapters.whatsapp.binary.NodeEncoder;
import ponte.adapters.whatsapp.socket.HandshakeException;
import ponte.adapters.whatsapp.socket.NoiseSocket;
import ponte.adapters.whatsapp.store.DeviceCredentials;

/**
 * One companion device's connection to the chat server: opens the Noise socket with a registration or login
 * payload, reads the server's verdict, answers server pings, correlates IQs, keeps the connection alive, and
 * reconnects with backoff unless the server's verdict makes another attempt pointless.
 */
public final class WireClient implements AutoCloseable {

    /** Status changes and QR texts, delivered on the client's own threads. */
    public interface Listener {
        void onStatus(ConnectionStatus status);

        void onQr(String qrText);

        /** The QR text with how long it stays valid; listeners that need the expiry override this one. */
        default void onQr(String qrText, Duration lifetime) {
            onQr(qrText);
        }
    }

    private final ClientSettings settings;
    private final DeviceCredentials keys;
    private final ConnectionHooks hooks;
    private final Listener listener;
    private final Clock clock;
    private final SecureRandom random;
    private final Timers timers = Timers.shared();
    private final IqTracker iqs = new IqTracker();
    private final NodeHandlers handlers = new NodeHandlers();
    private final Inbox inbox = new Inbox(handlers, this::send);
    /** Stanzas that answer what an inbox handler may be waiting for; settled on the reader thread. */
    private final NodeHandlers answers = new NodeHandlers();
    private final QrCodes qrCodes;
    private final Keepalive keepalive;
    private final String idPrefix;
    private final AtomicLong idCounter = new AtomicLong();

    private NoiseSocket socket;
    private java.time.Instant pairingEndsAt;
    private ServerVerdicts.Verdict verdict;
    private ConnectionStatus status = ConnectionStatus.of(ConnectionState.DISCONNECTED);
    private int failures;
    private long generation;
    private boolean closed;

    public WireClient(ClientSettings settings, DeviceCredentials keys, Optional<Jid> device, Listener listener, Clock clock,
            SecureRandom random) {
        this(settings, keys, ConnectionHooks.fixed(keys, device), listener, clock, random);
    }

    /** A connection whose payload and extra node handling come from the features above it ({@link Companion}). */
    WireClient(ClientSettings settings, DeviceCredentials keys, ConnectionHooks hooks, Listener listener, Clock clock,
            SecureRandom random) {
        this.settings = settings;
        this.keys = keys;
        this.hooks = hooks;
        this.listener = listener;
        this.clock = clock;
        this.random = random;
        this.qrCodes = new QrCodes(timers, listener::onQr, this::onQrCodesRunOut, settings.firstQr(),
                settings.laterQr());
        this.keepalive = new Keepalive(timers, settings.keepalive(), this::ping, this::onDeadConnection, clock);
        byte[] prefix = new byte[2];
        random.nextBytes(prefix);
        this.idPrefix = HexFormat.of().withUpperCase().formatHex(prefix) + ".";
        handlers.on("success", this::onSuccess);
        handlers.on("iq", "urn:xmpp:ping", this::answerServerPing);
        handlers.on("iq", "pair-device", this::onPairDevice);
    }

    /** For a handler on the inbox: the stanza it handles is acked by the returned action, not on return. */
    Runnable deferAck(Node stanza) {
        return inbox.deferAck(stanza);
    }

    /** The table the features above register their nodes in; their handlers run in order on the client's inbox. */
    NodeHandlers handlers() {
        return handlers;
    }

    /**
     * The table of stanzas that answer something an inbox handler may be blocked on (a media-retry answer, which the
     * download of a received file waits for while its message's handler runs): handled on the reader thread, not
     * queued behind that handler, and acked at once. Their handlers must be quick and never block.
     */
    NodeHandlers answers() {
        return answers;
    }

    public synchronized void connect() {
        if (closed) {
            throw new IllegalStateException("the client was closed");
        }
        if (status.state().terminal()) {
            attempt(Duration.ZERO);
        }
    }

    public synchronized ConnectionStatus status() {
        return status;
    }

    /** When the current registration's last QR code expires, which ends it; empty before any QR was shown. */
    public synchronized Optional<java.time.Instant> pairingEndsAt() {
        return Optional.ofNullable(pairingEndsAt);
    }

    /** Sends an IQ (its {@code id} is assigned here) and completes with the result, or fails on error or timeout. */
    public CompletableFuture<Node> sendIq(String xmlns, String type, List<Node> children) {
        return sendIq(Jid.USER_SERVER, xmlns, type, children);
    }

    /** As {@link #sendIq(String, String, List)}, addressed to {@code to} (a group's JID, say) instead of the server. */
    public CompletableFuture<Node> sendIq(String to, String xmlns, String type, List<Node> children) {
        String id = nextId();
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("id", id);
        attributes.put("xmlns", xmlns);
        attributes.put("type", type);
        attributes.put("to", to);
        CompletableFuture<Node> response = iqs.expect(id, settings.iqTimeout());
        Node iq = children.isEmpty() ? Node.of("iq", attributes) : Node.withChildren("iq", attributes, children);
        try {
            send(iq);
        } catch (IOException e) {
            response.completeExceptionally(e);
        }
        return response;
    }

    public void send(Node node) throws IOException {
        NoiseSocket current;
        synchronized (this) {
            current = socket;
        }
        if (current == null) {
            throw new IOException("not connected");
        }
        current.send(NodeEncoder.marshal(node));
    }

    @Override
    public void close() {
        NoiseSocket current;
        synchronized (this) {
            closed = true;
            generation++;
            current = socket;
            socket = null;
        }
        stopConnectionWork(new IOException("the client was closed"));
        if (current != null) {
            current.close();
        }
        setStatus(ConnectionStatus.of(ConnectionState.DISCONNECTED));
    }

    private synchronized void attempt(Duration delay) {
        if (closed) {
            return;
        }
        long attemptGeneration = ++generation;
        verdict = null;
        setStatus(ConnectionStatus.of(delay.isZero() ? ConnectionState.CONNECTING : ConnectionState.RECONNECTING));
        timers.after(delay, () -> open(attemptGeneration));
    }

    private void open(long attemptGeneration) {
        byte[] payload = hooks.payload(settings.version()).toByteArray();
        try {
            NoiseSocket.connect(settings.socket(), keys.noiseKey(), payload, clock, random,
                    new SocketEvents(attemptGeneration));
        } catch (HandshakeException e) {
            // a server that fails authentication is not WhatsApp (or not the sandbox we trust): never retry blindly
            finish(attemptGeneration, new ServerVerdicts.Verdict(
                    new ConnectionStatus(ConnectionState.FAILED, 0, e.getMessage()), false, false));
        } catch (IOException | RuntimeException e) {
            finish(attemptGeneration, null);
        }
    }

    /**
     * On the reader thread: IQ answers and the stanzas in {@link #answers} complete what waits for them here (a
     * handler may be waiting for one), the server's
     * verdicts end the connection here; everything else goes to the inbox, in order.
     */
    private void onNode(long nodeGeneration, Node node) {
        if (iqs.complete(node)) {
            return;
        }
        var answer = answers.find(node);
        if (answer.isPresent()) {
            inbox.settle(node, answer.get());
            return;
        }
        Optional<ServerVerdicts.Verdict> decided = ServerVerdicts.of(node);
        if (decided.isPresent()) {
            synchronized (this) {
                if (nodeGeneration == generation) {
                    verdict = decided.get();
                }
            }
            closeSocket(nodeGeneration);
            return;
        }
        inbox.accept(node);
    }

    private void onSuccess(Node success) {
        synchronized (this) {
            failures = 0;
        }
        qrCodes.stop();
        setStatus(ConnectionStatus.of(ConnectionState.CONNECTED));
        hooks.onLoggedIn(success);
    }

    private void answerServerPing(Node ping) throws IOException {
        if (ping.attributeOr("type", "").equals("get")) {
            send(Node.of("iq", Node.attrs("to", Jid.USER_SERVER, "type", "result", "id", ping.attributeOr("id", ""))));
        }
    }

    /** A registration's QR refs: acknowledged, then shown in turn (see {@link QrCodes}). */
    private void onPairDevice(Node iq) throws IOException {
        send(Node.of("iq", Node.attrs("to", Jid.USER_SERVER, "type", "result", "id", iq.attributeOr("id", ""))));
        List<String> refs = iq.child("pair-device").orElseThrow().children().stream()
                .filter(n -> n.tag().equals("ref")).flatMap(n -> n.text().stream()).toList();
        synchronized (this) {
            pairingEndsAt = clock.instant().plus(settings.firstQr())
                    .plus(settings.laterQr().multipliedBy(Math.max(0, refs.size() - 1)));
        }
        setStatus(ConnectionStatus.of(ConnectionState.AWAITING_QR_SCAN));
        qrCodes.show(refs, keys);
    }

    private CompletableFuture<Node> ping() {
        return sendIq("w:p", "get", List.of(Node.of("ping")));
    }

    /** The last QR code expired unscanned: this registration is over, not broken, so it ends without a retry. */
    private void onQrCodesRunOut() {
        long current;
        synchronized (this) {
            current = generation;
            verdict = ServerVerdicts.qrTimeout();
        }
        closeSocket(current);
    }

    private void onDeadConnection() {
        long current;
        synchronized (this) {
            current = generation;
        }
        closeSocket(current);
    }

    private void closeSocket(long socketGeneration) {
        NoiseSocket current;
        synchronized (this) {
            current = socketGeneration == generation ? socket : null;
        }
        if (current != null) {
            current.close();
        }
    }

    /** The connection of {@code attemptGeneration} ended; decide between stopping and trying again. */
    private void finish(long attemptGeneration, ServerVerdicts.Verdict failedVerdict) {
        ServerVerdicts.Verdict decided;
        synchronized (this) {
            if (attemptGeneration != generation || closed) {
                return;
            }
            socket = null;
            decided = failedVerdict != null ? failedVerdict : verdict;
        }
        if (decided == null && qrCodes.showingLast()) {
            // the server hangs up once its last ref expires, a moment before our copy of it does
            decided = ServerVerdicts.qrTimeout();
        }
        stopConnectionWork(new IOException("the connection closed"));
        if (decided != null && !decided.reconnect()) {
            setStatus(decided.status());
            return;
        }
        Duration delay;
        synchronized (this) {
            failures++;
            delay = decided != null && decided.immediately() ? Duration.ZERO : settings.backoff().delay(failures);
        }
        if (decided != null) {
            setStatus(decided.status());
        }
        attempt(delay);
    }

    private void stopConnectionWork(IOException cause) {
        keepalive.stop();
        qrCodes.stop();
        iqs.failAll(cause);
    }

    private void setStatus(ConnectionStatus next) {
        synchronized (this) {
            if (next.equals(status)) {
                return;
            }
            status = next;
        }
        listener.onStatus(next);
    }

    private String nextId() {
        return idPrefix + idCounter.incrementAndGet();
    }

    /** Routes one socket's events, tagged with the attempt they belong to so stale sockets are ignored. */
    private final class SocketEvents implements NoiseSocket.Listener {
        private final long socketGeneration;

        SocketEvents(long socketGeneration) {
            this.socketGeneration = socketGeneration;
        }

        @Override
        public void onOpen(NoiseSocket opened) {
            boolean current;
            synchronized (WireClient.this) {
                current = socketGeneration == generation && !closed;
                if (current) {
                    socket = opened;
                }
            }
            if (!current) {
                opened.close();
                return;
            }
            // pings run from the start, QR codes included: the server drops a socket on which nothing crosses
            keepalive.start();
        }

        @Override
        public void onFrame(byte[] plaintext) {
            onNode(socketGeneration, NodeDecoder.unmarshal(plaintext));
        }

        @Override
        public void onDisconnected(Throwable cause) {
            finish(socketGeneration, null);
        }
    }
}
