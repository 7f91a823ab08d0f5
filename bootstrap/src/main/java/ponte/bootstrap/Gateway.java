package ponte.bootstrap;

import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import ponte.adapters.persistence.NotificationListener;
import ponte.application.port.in.SessionEventsUseCase;
import ponte.application.port.in.IngestEventUseCase;
import org.slf4j.LoggerFactory;

/** A running gateway: its database, its HTTP server, and the order in which they start and stop. */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final Database database;
    private final GatewayComponent component;
    private final Optional<String> generatedAdminToken;
    private final AutoCloseable notifications;

    private Gateway(Database database, GatewayComponent component, Optional<String> generatedAdminToken,
                    AutoCloseable notifications) {
        this.database = database;
        this.component = component;
        this.generatedAdminToken = generatedAdminToken;
        this.notifications = notifications;
    }

    public static Gateway start(Config config, Clock clock) throws IOException {
        return start(config, clock, token -> { });
    }

    /**
     * Starts the gateway; {@code showGeneratedAdminToken} receives the admin token this start generated (only the
     * first start on an empty database generates one) before the HTTP server listens, so that whoever waits for
     * {@code /healthz} has seen it.
     */
    public static Gateway start(Config config, Clock clock, Consumer<String> showGeneratedAdminToken)
            throws IOException {
        long started = System.nanoTime();
        var database = Database.open(config);
        try {
            var component = DaggerGatewayComponent.factory().create(config, database, clock);
            component.secretCipher(); // the master key is resolved (or generated) before anything is stored
            checkMasterKey(component);
            // the use cases need the engine, and the engine the network: a taken sandbox port must fail here, first
            listening("PONTE_SANDBOX_PORT", config.sandboxPort(), component::whatsAppNetwork);
            var generated = component.useCases().authenticate().ensureAdminToken();
            generated.ifPresent(showGeneratedAdminToken);
            listening("PONTE_PORT", config.port(), () -> component.http().start(config.host(), config.port()));
            // pending deliveries from before a restart or crash go out as soon as the dispatcher runs
            var delivery = component.webhookDelivery().start();
            var chatwoot = component.chatwootDispatcher().start();
            // messages accepted before a restart or crash go out once their instances are online again
            component.outgoingSender().start();
            var http = component.http();
            var signals = component.eventSignals();
            var notifications = component.persistence().listen(component.nodeId().value(),
                    new NotificationListener() {
                        @Override
                        public void remoteEvent(java.util.UUID instanceId, java.util.UUID eventId, String event) {
                            http.remoteEvent(instanceId, eventId, event);
                            signals.changed(instanceId);
                        }

                        @Override
                        public void deliveriesDue() {
                            delivery.wake();
                            chatwoot.wake();
                        }

                        @Override
                        public void leasesReleased() {
                            component.nodeLoop().wake();
                        }

                        @Override
                        public void commandsWaiting() {
                            component.useCases().nodeCommands().runWaiting();
                        }

                        @Override
                        public void commandDone(java.util.UUID commandId) {
                            component.useCases().nodeCommands().answered();
                        }
                    });
            // linked instances that no other node runs reconnect here with their stored credentials (unless their
            // user stopped them), up to this node's fair share; then the lease rounds keep them
            int resumed = component.useCases().nodeSessions().join();
            component.nodeLoop().start();
            LOG.info("Ponte {} serving on http://{}:{} ({} database, {} resumed) in {} ms",
                    Version.current(), config.host(), component.http().port(),
                    config.embeddedDatabase() ? "embedded" : "external", sessions(resumed),
                    (System.nanoTime() - started) / 1_000_000);
            return new Gateway(database, component, generated, notifications);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    private static final String CANARY = "ponte fleet canary";

    /**
     * Every node of a database must hold the same master key: the first seals a canary with its key, each later one
     * opens it with its own, and refuses to start when it cannot, instead of failing later on every secret.
     */
    private static void checkMasterKey(GatewayComponent component) {
        var cipher = component.secretCipher();
        var canary = component.persistence().fleetCanary(() -> cipher.seal(CANARY));
        boolean same;
        try {
            same = CANARY.equals(cipher.openString(canary));
        } catch (RuntimeException e) {
            same = false;
        }
        if (!same) {
            throw new StartupFailure("this node's master key is not the one the other nodes on this database use "
                    + "(their sealed canary does not open): give it the same PONTE_MASTER_KEY (or master.key file)");
        }
    }

    /** Starts something that listens on {@code port}; a port another program holds is a {@link StartupFailure}. */
    private static void listening(String variable, int port, Runnable start) {
        try {
            start.run();
        } catch (RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof java.net.BindException) {
                    throw new StartupFailure("port " + port + " is already in use; stop what uses it, or set "
                            + variable + " to another port");
                }
            }
            throw e;
        }
    }

    /** "1 session", "2 sessions": the start log line's count of resumed sessions. */
    static String sessions(int count) {
        return count + (count == 1 ? " session" : " sessions");
    }

    public int port() {
        return component.http().port();
    }

    /** The admin token this start generated, if it generated one: shown once, never stored in clear. */
    public Optional<String> generatedAdminToken() {
        return generatedAdminToken;
    }

    /** The gateway's own connection pool: for tests that must look at the database beneath the API. */
    javax.sql.DataSource dataSource() {
        return database.dataSource();
    }

    public java.util.List<String> registeredRoutes() {
        return component.http().registeredRoutes();
    }

    /** Every use case, for tests that drive the core in-process beneath the HTTP routes. */
    ponte.application.port.in.UseCases useCases() {
        return component.useCases();
    }

    /** The one way events enter; tests and the WhatsApp client call it in-process. */
    public IngestEventUseCase ingest() {
        return component.useCases().ingest();
    }

    /** Where the WhatsApp engine reports status changes and QR codes; each becomes an instance.state event. */
    public SessionEventsUseCase sessionEvents() {
        return component.useCases().sessionEvents();
    }

    @Override
    public void close() throws IOException {
        try {
            notifications.close();
        } catch (Exception e) {
            LOG.warn("stopping the notification listener failed", e);
        }
        component.webhookDelivery().close();
        component.chatwootDispatcher().close();
        component.http().stop();
        component.outgoingSender().close();
        component.nodeLoop().close();
        // the sessions stop first, quietly; then their instances say so (gateway_stopped) while the database is up,
        // and their leases are released at once for the other nodes
        try {
            component.useCases().nodeSessions().leave(component.engine()::close);
        } catch (RuntimeException e) {
            LOG.warn("marking this node's sessions stopped failed; the next start corrects them", e);
            component.engine().close();
        }
        component.whatsAppNetwork().close();
        component.egresses().close();
        database.close();
    }
}
