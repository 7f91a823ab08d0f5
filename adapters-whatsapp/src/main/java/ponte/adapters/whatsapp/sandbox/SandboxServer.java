package ponte.adapters.whatsapp.sandbox;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;
import ponte.adapters.whatsapp.crypto.KeyPair;
import ponte.adapters.whatsapp.socket.TrustRoot;
import ponte.adapters.whatsapp.sandbox.store.SandboxStore;

/**
 * The sandbox's chat endpoint, {@code ws://host:port/ws/chat}: the server side of WhatsApp's Noise socket with
 * the sandbox's own certificate root, answering registrations, logins, IQs and pings.
 */
public final class SandboxServer implements AutoCloseable {

    public static final String CHAT_PATH = "/ws/chat";

    private final Server jetty;
    private final ServerConnector connector;
    private final TrustRoot trustRoot;
    private final ScheduledExecutorService timers;
    private final VirtualPhones phones;
    private final MediaHost media;
    private final boolean keepMedia;

    private final java.util.concurrent.atomic.AtomicLong replaced;

    private SandboxServer(Server jetty, ServerConnector connector, TrustRoot trustRoot,
            ScheduledExecutorService timers, VirtualPhones phones, MediaHost media, boolean keepMedia,
            java.util.concurrent.atomic.AtomicLong replaced) {
        this.replaced = replaced;
        this.media = media;
        this.keepMedia = keepMedia;
        this.jetty = jetty;
        this.connector = connector;
        this.trustRoot = trustRoot;
        this.timers = timers;
        this.phones = phones;
    }

    /** Starts with the store's persistent root and static keys and a chain issued by that root. */
    public static SandboxServer start(SandboxStore store, SandboxOptions options, Clock clock, SecureRandom random)
            throws Exception {
        var keys = store.serverKeys(() -> new SandboxStore.ServerKeys(KeyPair.generate(random),
                KeyPair.generate(random)), clock.instant());
        var authority = new CertificateAuthority(keys.root(), random);
        return start(store, options, clock, random, keys.serverStatic(), authority.trustRoot(),
                serverStatic -> authority.issueChain(serverStatic, clock.instant()), keys.root());
    }

    /** Starts with a caller-made certificate chain, so tests can present chains a client must refuse. */
    public static SandboxServer start(SandboxStore store, SandboxOptions options, Clock clock, SecureRandom random,
            KeyPair serverStatic, TrustRoot advertisedRoot, Function<byte[], byte[]> chainIssuer) throws Exception {
        // no root key was given: the media host's certificate comes from a throwaway root nobody trusts
        return start(store, options, clock, random, serverStatic, advertisedRoot, chainIssuer,
                KeyPair.generate(random));
    }

    private static SandboxServer start(SandboxStore store, SandboxOptions options, Clock clock, SecureRandom random,
            KeyPair serverStatic, TrustRoot advertisedRoot, Function<byte[], byte[]> chainIssuer, KeyPair mediaRoot)
            throws Exception {
        // with a media folder of its own the host's files outlive it (indexed in the store); else a temporary one
        boolean keepMedia = options.mediaFolder().isPresent();
        MediaHost media = keepMedia
                ? MediaHost.start(options.bind().getHostString(), options.mediaFolder().get(), store.media(),
                        mediaRoot, clock, random)
                : MediaHost.start(options.bind().getHostString(),
                        java.nio.file.Files.createTempDirectory("ponte-sandbox-media"), mediaRoot, clock, random);
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("sandbox-timers").factory());
        Map<String, SandboxEndpoint> online = new ConcurrentHashMap<>();
        var phones = new VirtualPhones(store.phones(), store.messages(), store.groups(), clock, random, online,
                timers, media);
        var replaced = new java.util.concurrent.atomic.AtomicLong();
        var context = new SandboxContext(store, options, clock, random, serverStatic, chainIssuer, timers, online,
                phones, media, replaced);

        // connections' work on virtual threads: the platform threads stay a handful however many companions connect
        var pool = new QueuedThreadPool();
        pool.setName("sandbox");
        pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        Server jetty = new Server(pool);
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost(options.bind().getHostString());
        connector.setPort(options.bind().getPort());
        jetty.addConnector(connector);
        ContextHandler root = new ContextHandler("/");
        WebSocketUpgradeHandler upgrades = new WebSocketUpgradeHandler();
        upgrades.addMapping(CHAT_PATH, WebSocketNegotiator.from(
                (request, response, callback) -> new SandboxEndpoint(context),
                (endpoint, request, response) -> (FrameHandler) endpoint,
                configuration -> configuration.setIdleTimeout(options.idleTimeout())));
        root.setHandler(upgrades);
        jetty.setHandler(root);
        try {
            jetty.start();
        } catch (Exception e) {
            timers.shutdownNow();
            stopMedia(media, keepMedia);
            jetty.stop();
            throw e;
        }
        return new SandboxServer(jetty, connector, advertisedRoot, timers, phones, media, keepMedia, replaced);
    }

    public URI wsUrl() {
        String host = connector.getHost() == null ? "127.0.0.1" : connector.getHost();
        return URI.create("ws://" + host + ":" + connector.getLocalPort() + CHAT_PATH);
    }

    /**
     * How many logins since this server started found their device already connected: WhatsApp then tells the
     * older connection {@code replaced} and drops it. A fleet that runs each instance on one node keeps it at 0.
     */
    public long replacedConnections() {
        return replaced.get();
    }

    public TrustRoot trustRoot() {
        return trustRoot;
    }

    /** The sandbox's accounts, which link companions connected to this server. */
    public VirtualPhones phones() {
        return phones;
    }

    /** The media host, HTTPS with a certificate from this server's root. */
    public MediaHost media() {
        return media;
    }

    /** Stops; the media host's files stay when it has a folder of its own ({@link SandboxOptions#withMediaFolder}). */
    @Override
    public void close() throws Exception {
        timers.shutdownNow();
        stopMedia(media, keepMedia);
        jetty.stop();
    }

    private static void stopMedia(MediaHost media, boolean keep) {
        if (keep) {
            media.close();
        } else {
            media.closeAndDelete();
        }
    }
}
