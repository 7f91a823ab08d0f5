package ponte.adapters.persistence;

import com.fasterxml.jackson.databind.ObjectMapper;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import java.util.UUID;
import ponte.adapters.persistence.jdbi.JdbiAdminCredentialStore;
import ponte.adapters.persistence.jdbi.JdbiGatewayStats;
import ponte.adapters.persistence.jdbi.JdbiChatwootStore;
import ponte.adapters.persistence.jdbi.JdbiDeliveryLog;
import ponte.adapters.persistence.jdbi.JdbiDeliveryQueue;
import ponte.adapters.persistence.jdbi.JdbiEventOutbox;
import ponte.adapters.persistence.jdbi.JdbiIdempotencyKeys;
import ponte.adapters.persistence.jdbi.JdbiInstanceSettingsStore;
import ponte.adapters.persistence.jdbi.JdbiMessageStore;
import ponte.adapters.persistence.jdbi.JdbiOutgoingQueue;
import ponte.adapters.persistence.jdbi.JdbiInstanceStore;
import ponte.adapters.persistence.jdbi.JdbiLeaseStore;
import ponte.adapters.persistence.jdbi.JdbiNodeCommandStore;
import ponte.adapters.persistence.jdbi.JdbiPairingQrStore;
import ponte.adapters.persistence.jdbi.JdbiProxyStore;
import ponte.adapters.persistence.jdbi.JdbiS3Store;
import ponte.adapters.persistence.jdbi.JdbiSession;
import ponte.adapters.persistence.jdbi.JdbiTenantStore;
import ponte.adapters.persistence.jdbi.JdbiTokenStore;
import ponte.adapters.persistence.jdbi.JdbiWebhookStore;
import ponte.application.port.out.GatewayStatsStore;
import ponte.application.port.out.AdminCredentialStore;
import ponte.application.port.out.DeliveryLog;
import ponte.application.port.out.DeliveryQueue;
import ponte.application.port.out.EventOutbox;
import ponte.application.port.out.ChatwootStore;
import ponte.application.port.out.IdempotencyKeys;
import ponte.application.port.out.InstanceSettingsStore;
import ponte.application.port.out.MessageStore;
import ponte.application.port.out.OutgoingQueue;
import ponte.application.port.out.InstanceStore;
import ponte.application.port.out.LeaseStore;
import ponte.application.port.out.NodeCommandStore;
import ponte.application.port.out.PairingQrStore;
import ponte.application.port.out.SessionDirectory;
import ponte.application.port.out.ProxyStore;
import ponte.application.port.out.S3Store;
import ponte.application.port.out.TenantStore;
import ponte.application.port.out.TokenStore;
import ponte.application.port.out.Transactions;
import ponte.application.port.out.WebSocketConfigStore;
import ponte.application.port.out.WebhookStore;

/** The persistence adapter's wiring: migrates the schema, then hands out the stores the application needs. */
public final class PersistenceAdapter {
    private final DataSource dataSource;
    private final JdbiSession session;
    private final ObjectMapper json = new ObjectMapper();

    private PersistenceAdapter(DataSource dataSource) {
        this.dataSource = dataSource;
        this.session = new JdbiSession(Jdbi.create(dataSource));
    }

    /** Brings the schema up to date (idempotent; safe for several nodes starting together) and opens the stores. */
    public static PersistenceAdapter migrateAndOpen(DataSource dataSource) {
        var flyway = Flyway.configure(PersistenceAdapter.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/ponte")
                .table("flyway_ponte_history")
                .load();
        flyway.migrate();
        // a newer node migrated past what this one knows: running on it could corrupt what it cannot read
        var ahead = java.util.Arrays.stream(flyway.info().all())
                .filter(migration -> migration.getState().name().startsWith("FUTURE")).toList();
        if (!ahead.isEmpty()) {
            throw new SchemaAheadException("the database schema is at version "
                    + ahead.getLast().getVersion() + ", newer than this node knows (up to "
                    + java.util.Arrays.stream(flyway.info().all()).filter(m -> !m.getState().name()
                    .startsWith("FUTURE")).reduce((a, b) -> b).map(m -> m.getVersion().toString()).orElse("none")
                    + "): a newer Ponte migrated it; start this node from that version");
        }
        return new PersistenceAdapter(dataSource);
    }

    /** The database was migrated by a newer Ponte than this one: the node must not run on it. */
    public static final class SchemaAheadException extends RuntimeException {
        SchemaAheadException(String message) {
            super(message);
        }
    }

    /**
     * The fleet's canary: a value sealed with the master key of the first node that started on this database,
     * stored by it ({@code sealed} is called only then). Every node reads it back and opens it with its own key.
     */
    public byte[] fleetCanary(java.util.function.Supplier<byte[]> sealed) {
        return session.withHandle(h -> {
            var stored = h.createQuery("select canary from fleet_guard where id = 1").mapTo(byte[].class).findOne();
            if (stored.isPresent()) {
                return stored.get();
            }
            // two first nodes at once: one insert wins, and the other checks its key against the winner's
            h.createUpdate("insert into fleet_guard (id, canary) values (1, :canary) on conflict (id) do nothing")
                    .bind("canary", sealed.get()).execute();
            return h.createQuery("select canary from fleet_guard where id = 1").mapTo(byte[].class).one();
        });
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Transactions transactions() {
        return session;
    }

    public TenantStore tenants() {
        return new JdbiTenantStore(session);
    }

    public TokenStore tokens() {
        return new JdbiTokenStore(session);
    }

    public ponte.application.port.out.AuditLog audit() {
        return new ponte.adapters.persistence.jdbi.JdbiAuditLog(session);
    }

    public InstanceStore instances() {
        return new JdbiInstanceStore(session, json);
    }

    /** The cross-tenant reads of the sessions. */
    public SessionDirectory sessionDirectory() {
        return new JdbiInstanceStore(session, json);
    }

    public PairingQrStore pairingQrs() {
        return new JdbiPairingQrStore(session);
    }

    public AdminCredentialStore adminCredential() {
        return new JdbiAdminCredentialStore(session);
    }

    public WebhookStore webhooks() {
        return new JdbiWebhookStore(session, json);
    }

    public WebSocketConfigStore websocketConfigs() {
        return new JdbiWebhookStore(session, json);
    }

    /** The outbox, delivery queue and delivery log; {@code nodeId} tags this node's NOTIFYs. */
    public EventStores events(UUID nodeId) {
        return new EventStores(new JdbiEventOutbox(session, json, nodeId), new JdbiDeliveryQueue(session, json),
                new JdbiDeliveryLog(session));
    }

    public record EventStores(EventOutbox outbox, DeliveryQueue queue, DeliveryLog log) {}

    /** The message store, the outgoing queue and the idempotency keys of messaging. */
    public MessageStores messages() {
        return new MessageStores(new JdbiMessageStore(session, json), new JdbiOutgoingQueue(session, json),
                new JdbiIdempotencyKeys(session));
    }

    /** What app-state sync keeps: contact names, chat flags, labels (joined by the message store's queries). */
    public ponte.application.port.out.ChatStateStore chatState() {
        return new ponte.adapters.persistence.jdbi.JdbiChatStateStore(session);
    }

    /** The ids of the notifications whose events were stored (V12), so a redelivered one is stored once. */
    public ponte.application.port.out.InboundStanzas inboundStanzas() {
        return new ponte.adapters.persistence.jdbi.JdbiInboundStanzas(session);
    }

    public record MessageStores(MessageStore store, OutgoingQueue queue, IdempotencyKeys keys) {}

    /** Starts listening for other nodes' NOTIFYs on a connection of its own; close it to stop. */
    public AutoCloseable listen(UUID nodeId, NotificationListener listener) {
        return new PgNotifications(dataSource, nodeId, listener);
    }

    /** The instances' leases and the nodes' heartbeats. */
    public LeaseStore leases() {
        return new JdbiLeaseStore(session);
    }

    /** The command table between nodes. */
    public NodeCommandStore nodeCommands() {
        return new JdbiNodeCommandStore(session);
    }

    /** Counts across every tenant for the operator's metrics. */
    public GatewayStatsStore stats() {
        return new JdbiGatewayStats(session);
    }

    public ProxyStore proxies() {
        return new JdbiProxyStore(session);
    }

    public InstanceSettingsStore instanceSettings() {
        return new JdbiInstanceSettingsStore(session);
    }

    public ChatwootStore chatwoot() {
        return new JdbiChatwootStore(session);
    }

    /** The Chatwoot mirror's outbox and its id mappings. */
    public ponte.application.port.out.ChatwootSyncStore chatwootSync() {
        return new ponte.adapters.persistence.jdbi.JdbiChatwootSync(session);
    }

    public S3Store s3() {
        return new JdbiS3Store(session);
    }

    /** The {@code media} table: where each message's file is stored. */
    public ponte.application.port.out.MediaRecords mediaRecords() {
        return new ponte.adapters.persistence.jdbi.JdbiMediaRecords(session);
    }

    /** Whether the database answers; what {@code /readyz} reports. */
    public boolean isReachable() {
        try (var connection = dataSource.getConnection()) {
            return connection.isValid(2);
        } catch (java.sql.SQLException e) {
            return false;
        }
    }
}
