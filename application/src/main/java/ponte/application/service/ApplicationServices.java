package ponte.application.service;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import ponte.application.port.in.AuthenticateUseCase;
import ponte.application.port.in.DeviceQueries;
import ponte.application.port.in.ResumeSessionsUseCase;
import ponte.application.port.in.SessionEventsUseCase;
import ponte.application.port.in.SessionLifecycleUseCase;
import ponte.application.port.in.ConfigureWebSocketUseCase;
import ponte.application.port.in.ConfigureWebhooksUseCase;
import ponte.application.port.in.ChatwootConfigUseCase;
import ponte.application.port.in.CreateInstanceUseCase;
import ponte.application.port.in.CreateTenantUseCase;
import ponte.application.port.in.DeleteInstanceUseCase;
import ponte.application.port.in.DeleteTenantUseCase;
import ponte.application.port.in.DispatchWebhooksUseCase;
import ponte.application.port.in.EnsureAdminTokenUseCase;
import ponte.application.port.in.GatewayStatsQueries;
import ponte.application.port.in.IngestEventUseCase;
import ponte.application.port.in.EnsureAdminTokenUseCase;
import ponte.application.port.in.InstanceProxyUseCase;
import ponte.application.port.in.InstanceQueries;
import ponte.application.port.in.InstanceSettingsUseCase;
import ponte.application.port.in.IssueAccountTokenUseCase;
import ponte.application.port.in.PurgeEventsUseCase;
import ponte.application.port.in.ReadEventUseCase;
import ponte.application.port.in.S3ConfigUseCase;
import ponte.application.port.in.SandboxUseCase;
import ponte.application.port.in.TenantProxyUseCase;
import ponte.application.port.in.TenantQueries;
import ponte.application.port.in.WebhookDeliveriesUseCase;
import ponte.application.port.out.AdminCredentialStore;
import ponte.application.port.out.DeliveryLog;
import ponte.application.port.out.DeliveryQueue;
import ponte.application.port.out.EventOutbox;
import ponte.application.port.out.GatewayMetrics;
import ponte.application.port.out.GatewayStatsStore;
import ponte.application.port.out.ChatwootInboxPort;
import ponte.application.port.out.ChatwootStore;
import ponte.application.port.out.IdGenerator;
import ponte.application.port.out.InstanceSettingsStore;
import ponte.application.port.out.InstanceStore;
import ponte.application.port.out.LiveEvents;
import ponte.application.port.out.RandomSource;
import ponte.application.port.out.PairingQrStore;
import ponte.application.port.out.ProxyStore;
import ponte.application.port.out.S3BucketPort;
import ponte.application.port.out.S3Store;
import ponte.application.port.out.SandboxPort;
import ponte.application.port.out.SecretCipher;
import ponte.application.port.out.SecretGenerator;
import ponte.application.port.out.SessionControlPort;
import ponte.application.port.out.TenantStore;
import ponte.application.port.out.TokenStore;
import ponte.application.port.out.Transactions;
import ponte.application.port.out.WebSocketConfigStore;
import ponte.application.port.out.WebhookStore;
import ponte.application.port.out.WhatsAppSessionPort;

/** Builds the use cases from the out-ports the adapters provide; the services themselves stay package-private. */
public final class ApplicationServices {
    private final SandboxService sandbox;
    private final TenantService tenants;
    private final AuthService auth;
    private final InstanceService instances;
    private final ProxyService proxies;
    private final SettingsService settings;
    private final ChatwootService chatwoot;
    private final S3Service s3;
    private final EventIngestService ingest;
    private final WebhookService webhooks;
    private final WebSocketService websockets;
    private final DispatchService dispatch;
    private final DeliveryLogService deliveries;
    private final SessionService sessions;
    private final GatewayStatsService stats;

    public ApplicationServices(Ports ports, ConfigurationPorts configuration, Optional<SandboxPort> sandbox,
                               EventPorts events, EventSettings eventSettings, SessionPorts sessionPorts, Clock clock,
                               Optional<String> configuredAdminToken, OperatorPorts operator) {
        this.stats = new GatewayStatsService(operator.stats(), clock);
        this.sandbox = new SandboxService(sandbox);
        this.tenants = new TenantService(ports.tenants(), ports.tokens(), ports.instances(), ports.transactions(),
                ports.ids(), ports.secrets(), sessionPorts.engine(), clock);
        this.auth = new AuthService(ports.tokens(), ports.adminCredential(), ports.secrets(), clock,
                configuredAdminToken);
        this.ingest = new EventIngestService(ports.instances(), events.webhooks(), events.outbox(), events.live(),
                ports.transactions(), ports.ids(), eventSettings.schedule(), clock);
        this.instances = new InstanceService(ports.instances(), ports.tenants(), ports.tokens(), ports.transactions(),
                ports.ids(), ports.secrets(), ingest, sessionPorts.engine(), clock);
        var access = new InstanceAccess(ports.instances());
        this.proxies = new ProxyService(configuration.proxies(), access, ports.transactions(), configuration.cipher(),
                configuration.sessions(), configuration.background());
        this.settings = new SettingsService(configuration.settings(), access, ports.transactions());
        this.chatwoot = new ChatwootService(configuration.chatwoot(), configuration.chatwootInboxes(), access,
                ports.transactions(), configuration.cipher(), clock);
        this.s3 = new S3Service(configuration.s3(), configuration.s3Buckets(), access, ports.transactions(),
                configuration.cipher(), clock);
        this.webhooks = new WebhookService(events.webhooks(), access, ports.transactions(), ports.ids(),
                ports.secrets(), events.cipher(), eventSettings.targets(), clock);
        this.websockets = new WebSocketService(events.websockets(), access, ports.transactions(), clock);
        this.dispatch = new DispatchService(events.queue(), events.log(), events.cipher(), ports.ids(),
                events.random(), eventSettings, clock, operator.metrics());
        this.deliveries = new DeliveryLogService(events.log(), access, clock);
        this.sessions = new SessionService(ports.instances(), sessionPorts.qrs(), sessionPorts.engine(), proxies,
                ingest::append, ports.transactions(), clock, FIRST_QR_WAIT, operator.metrics());
    }

    /** The first QR code of a new session usually arrives within two seconds; connect waits at most this long. */
    private static final Duration FIRST_QR_WAIT = Duration.ofSeconds(10);

    /** What the operator's metrics count and read: outcomes as the core decides them, gauges from the stores. */
    public record OperatorPorts(GatewayMetrics metrics, GatewayStatsStore stats) {}

    /** The out-ports of the session lifecycle: the engine that runs sessions, and the QR board every node reads. */
    public record SessionPorts(SessionControlPort engine, PairingQrStore qrs) {}

    /** The out-ports the core needs, in one place so wiring cannot forget one. */
    public record Ports(TenantStore tenants, TokenStore tokens, InstanceStore instances,
                       AdminCredentialStore adminCredential, Transactions transactions, IdGenerator ids,
                       SecretGenerator secrets) {}

    /** The out-ports of durable events: configuration, the outbox and its queue, the live fan-out. */
    public record EventPorts(WebhookStore webhooks, WebSocketConfigStore websockets, EventOutbox outbox,
                            DeliveryQueue queue, DeliveryLog log, LiveEvents live, SecretCipher cipher,
                            RandomSource random) {}

    /**
     * The out-ports of instance configuration: its stores, the outside services it checks against, the running
     * sessions it reconnects, the cipher sealing its secrets and where background reconnects run.
     */
    public record ConfigurationPorts(ProxyStore proxies, InstanceSettingsStore settings, ChatwootStore chatwoot,
                                     S3Store s3, ChatwootInboxPort chatwootInboxes, S3BucketPort s3Buckets,
                                     WhatsAppSessionPort sessions, SecretCipher cipher, Executor background) {}

    public GatewayStatsQueries gatewayStats() {
        return stats;
    }

    public SandboxUseCase sandbox() {
        return sandbox;
    }

    public CreateTenantUseCase createTenant() {
        return tenants;
    }

    public TenantQueries tenantQueries() {
        return tenants;
    }

    public DeleteTenantUseCase deleteTenant() {
        return tenants;
    }

    public IssueAccountTokenUseCase issueAccountToken() {
        return tenants;
    }

    public AuthenticateUseCase authenticate() {
        return auth;
    }

    public EnsureAdminTokenUseCase ensureAdminToken() {
        return auth;
    }

    public CreateInstanceUseCase createInstance() {
        return instances;
    }

    public InstanceQueries instanceQueries() {
        return instances;
    }

    public DeleteInstanceUseCase deleteInstance() {
        return instances;
    }

    public IngestEventUseCase ingestEvent() {
        return ingest;
    }

    public SessionLifecycleUseCase sessions() {
        return sessions;
    }

    /** Where the engine reports what sessions do. */
    public SessionEventsUseCase sessionEvents() {
        return sessions;
    }

    public DeviceQueries devices() {
        return sessions;
    }

    public ResumeSessionsUseCase resumeSessions() {
        return sessions;
    }

    public ReadEventUseCase readEvent() {
        return ingest;
    }

    public ConfigureWebhooksUseCase webhooks() {
        return webhooks;
    }

    public ConfigureWebSocketUseCase websocket() {
        return websockets;
    }

    public DispatchWebhooksUseCase dispatchWebhooks() {
        return dispatch;
    }

    public PurgeEventsUseCase purgeEvents() {
        return dispatch;
    }

    public WebhookDeliveriesUseCase webhookDeliveries() {
        return deliveries;
    }

    public TenantProxyUseCase tenantProxy() {
        return proxies;
    }

    public InstanceProxyUseCase instanceProxy() {
        return proxies;
    }

    public InstanceSettingsUseCase instanceSettings() {
        return settings;
    }

    public ChatwootConfigUseCase chatwootConfig() {
        return chatwoot;
    }

    public S3ConfigUseCase s3Config() {
        return s3;
    }
}
