package ponte.application.service;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import ponte.application.port.in.UseCases;
import ponte.application.port.out.AdminCredentialStore;
import ponte.application.port.out.DeliveryLog;
import ponte.application.port.out.DeliveryQueue;
import ponte.application.port.out.EventOutbox;
import ponte.application.port.out.GatewayMetrics;
import ponte.application.port.out.GatewayStatsStore;
import ponte.application.port.out.ChatwootInboxPort;
import ponte.application.port.out.ChatwootStore;
import ponte.application.port.out.GroupsPort;
import ponte.application.port.out.IdGenerator;
import ponte.application.port.out.IdempotencyKeys;
import ponte.application.port.out.MessageStore;
import ponte.application.port.out.MessagingPort;
import ponte.application.port.out.CallsPort;
import ponte.application.port.out.PresencePort;
import ponte.application.port.out.OutgoingQueue;
import ponte.application.port.out.InstanceSettingsStore;
import ponte.application.port.out.InstanceSignals;
import ponte.application.port.out.InstanceStore;
import ponte.application.port.out.LeaseStore;
import ponte.application.port.out.LiveEvents;
import ponte.application.port.out.LinkPreviewPort;
import ponte.application.port.out.MediaFetcher;
import ponte.application.port.out.MediaProbe;
import ponte.application.port.out.MediaRecords;
import ponte.application.port.out.MediaStore;
import ponte.application.port.out.RandomSource;
import ponte.application.port.out.PairingQrStore;
import ponte.application.port.out.ProxyStore;
import ponte.application.port.out.NodeCommandStore;
import ponte.application.port.out.S3BucketPort;
import ponte.application.port.out.S3Store;
import ponte.application.port.out.SandboxPort;
import ponte.application.port.out.SecretCipher;
import ponte.application.port.out.SecretGenerator;
import ponte.application.port.out.SessionControlPort;
import ponte.application.port.out.SessionDirectory;
import ponte.application.port.out.TenantStore;
import ponte.application.port.out.TokenStore;
import ponte.application.port.out.Transactions;
import ponte.application.port.out.WebSocketConfigStore;
import ponte.application.port.out.WebhookStore;
import ponte.application.port.out.WhatsAppSessionPort;

/**
 * Builds the use cases from the out-ports the adapters provide, once, into the one list the adapters take them
 * from ({@link UseCases}); the services themselves stay package-private.
 */
public final class ApplicationServices {
    private ApplicationServices() {}

    public static UseCases build(Ports ports, ConfigurationPorts configuration, Optional<SandboxPort> sandbox,
                                 EventPorts events, EventSettings eventSettings, SessionPorts sessionPorts,
                                 Clock clock, Optional<String> configuredAdminToken, OperatorPorts operator,
                                 MessagingPorts messaging, GroupsPort groups, NodePorts node,
                                 MediaPorts media) {
        var access = new InstanceAccess(ports.instances());
        var signals = new MessageSignals();
        var ingest = new EventIngestService(ports.instances(), sessionPorts.directory(), events.webhooks(),
                events.outbox(), events.live(), ports.transactions(), ports.ids(), eventSettings.schedule(), clock,
                configuration.chatwootSync());
        var presence = new PresenceService(access, sessionPorts.directory(), configuration.settings(),
                messaging.presence(), messaging.engine(), messaging.settings().lookupWait());
        var reports = new SessionReportService(sessionPorts.directory(), ports.instances(), sessionPorts.qrs(),
                ingest::append, ports.transactions(), clock, operator.metrics(), presence::standing);
        var remote = new RemoteSessionsClient(node.commands(), ports.ids()::newId);
        // every session command goes through the node's leases: the engine runs only what this node holds (the
        // ownership reads effective proxies through a ProxyService of its own, which reconnects nothing)
        var owned = new SessionOwnershipService(node.leases(), sessionPorts.engine(), configuration.sessions(),
                sessionPorts.directory(), reports,
                new ProxyService(configuration.proxies(), access, ports.transactions(), configuration.cipher(),
                        configuration.sessions(), configuration.background()),
                remote, operator.metrics(), node.settings(), node.nanos());
        var proxies = new ProxyService(configuration.proxies(), access, ports.transactions(), configuration.cipher(),
                owned, configuration.background());
        var dispatch = new DispatchService(events.queue(), events.log(), events.cipher(), ports.ids(),
                events.random(), eventSettings, clock, operator.metrics(), ports.audit());
        var mediaService = new MediaService(access, media.records(), media.local(), media.s3(), configuration.s3(),
                configuration.cipher(), media.probe(), media.settings(), clock);
        var intake = new MediaIntakeService(media.fetcher(), media.probe(), media.settings());
        var previews = new LinkPreviewService(media.pages(), media.fetcher(), media.probe(), media.settings());
        var mediaMessages = new MediaMessages(intake, mediaService, media.transfers(), previews);
        var messages = new MessageService(access, messaging.messages(), messaging.queue(), messaging.keys(),
                messaging.engine(), messaging.presence()::presence, ports.transactions(), messaging.random(), signals,
                messaging.settings(), clock, mediaMessages);
        var calls = new CallService(access, sessionPorts.directory(), configuration.settings(), messaging.calls(),
                messages, ingest, ports.transactions(), clock);
        return new UseCases(
                new AuthService(ports.tokens(), ports.adminCredential(), ports.secrets(), clock, configuredAdminToken),
                new TokenService(ports.tenants(), ports.tokens(), access, ports.transactions(), ports.ids(),
                        ports.secrets(), clock),
                new AuditService(ports.audit(), ports.ids(), clock),
                new TenantService(ports.tenants(), ports.tokens(), ports.instances(), ports.transactions(),
                        ports.ids(), ports.secrets(), owned, clock, mediaService::removalOf),
                new InstanceService(ports.instances(), ports.tenants(), ports.tokens(), ports.transactions(),
                        ports.ids(), ports.secrets(), ingest, owned, clock, mediaService::removalOf),
                proxies,
                proxies,
                new SettingsService(configuration.settings(), access, ports.transactions(), presence::standing),
                new ChatwootService(configuration.chatwoot(), configuration.chatwootInboxes(), access,
                        ports.transactions(), configuration.cipher(), clock, ports.secrets(),
                        eventSettings.targets(), configuration.chatwootSync()),
                new S3Service(configuration.s3(), configuration.s3Buckets(), access, ports.transactions(),
                        configuration.cipher(), clock),
                new SandboxService(sandbox),
                new WebhookService(events.webhooks(), events.queue(), access, ports.transactions(), ports.ids(),
                        ports.secrets(), events.cipher(), eventSettings.targets(), clock),
                new WebSocketService(events.websockets(), access, ports.transactions(), clock),
                new DeliveryLogService(events.log(), access, clock),
                dispatch,
                ingest,
                new InboundEvents(calls, ingest, messaging.stanzas(), sessionPorts.directory(), ports.transactions(),
                        clock),
                ingest,
                new SessionCommandService(ports.instances(), sessionPorts.directory(), sessionPorts.qrs(),
                        sessionPorts.signals(), owned, proxies, clock, FIRST_QR_WAIT),
                reports,
                owned,
                new NodeCommandService(node.commands(), owned, remote, sessionPorts.directory(), proxies,
                        configuration.background()),
                new GatewayStatsService(operator.stats(), clock),
                messages,
                new InboundMessageService(sessionPorts.directory(), configuration.settings(), messaging.messages(),
                        ingest, ports.transactions(), clock, mediaMessages),
                new OutgoingSender(messaging.messages(), messaging.queue(), messaging.engine(),
                        configuration.sessions(), sessionPorts.directory(), ingest, ports.transactions(), signals,
                        messaging.settings(), messaging.background(), clock, owned, mediaMessages),
                new GroupService(access, groups, messaging.engine(), messaging.settings().lookupWait()),
                new AppStateService(sessionPorts.directory(), messaging.chatState(), ingest, ports.transactions()),
                calls,
                presence,
                mediaService,
                intake,
                previews,
                new ChatwootSyncService(configuration.chatwoot(), configuration.chatwootSync(),
                        configuration.chatwootApi(), messaging.messages(), messages, mediaService,
                        sessionPorts.directory(), configuration.cipher(), ports.ids(), events.random(),
                        eventSettings.schedule(), messaging.background(), clock));
    }

    /**
     * The out-ports of media: the {@code media} table, the local store and the S3 stores, the SSRF-guarded
     * fetcher, what reads a file's type and picture, what reads a page's preview, their settings, and the wire's
     * upload and download of files.
     */
    public record MediaPorts(MediaRecords records, MediaStore local, MediaStore.S3Stores s3, MediaFetcher fetcher,
                             MediaProbe probe, LinkPreviewPort pages, MediaSettings settings,
                             ponte.application.port.out.MediaTransferPort transfers) {}

    /**
     * The out-ports of messaging: the message store, the outgoing queue and the idempotency keys; the engine that
     * sends, rejects calls and sends and hears presence; secure randomness for message ids; the queue's pace; where
     * sends and their outcomes run (virtual threads: they wait on the engine and the database); what app-state
     * sync keeps (contact names, chat flags, labels); and the ids of the notifications already stored.
     */
    public record MessagingPorts(MessageStore messages, OutgoingQueue queue, IdempotencyKeys keys,
                                 MessagingPort engine, CallsPort calls, PresencePort presence, RandomSource random,
                                 MessagingSettings settings, Executor background,
                                 ponte.application.port.out.ChatStateStore chatState,
                                 ponte.application.port.out.InboundStanzas stanzas) {}

    /**
     * The out-ports of this node among the others: the lease store, how it holds leases, the command table to
     * and from the other nodes, and the monotonic clock (nanoseconds) that times its renewal deadline.
     */
    public record NodePorts(LeaseStore leases, LeaseSettings settings, NodeCommandStore commands,
                            LongSupplier nanos) {}

    /** The first QR code of a new session usually arrives within two seconds; connect waits at most this long. */
    private static final Duration FIRST_QR_WAIT = Duration.ofSeconds(10);

    /** What the operator's metrics count and read: outcomes as the core decides them, gauges from the stores. */
    public record OperatorPorts(GatewayMetrics metrics, GatewayStatsStore stats) {}

    /**
     * The out-ports of the session lifecycle: the engine that runs sessions, the QR board every node reads, the
     * cross-tenant directory of sessions, and the signals that wake whoever waits for an instance to change.
     */
    public record SessionPorts(SessionControlPort engine, PairingQrStore qrs, SessionDirectory directory,
                               InstanceSignals signals) {}

    /** The out-ports the core needs, in one place so wiring cannot forget one. */
    public record Ports(TenantStore tenants, TokenStore tokens, InstanceStore instances,
                       AdminCredentialStore adminCredential, Transactions transactions, IdGenerator ids,
                       SecretGenerator secrets, ponte.application.port.out.AuditLog audit) {}

    /** The out-ports of durable events: configuration, the outbox and its queue, the live fan-out. */
    public record EventPorts(WebhookStore webhooks, WebSocketConfigStore websockets, EventOutbox outbox,
                            DeliveryQueue queue, DeliveryLog log, LiveEvents live, SecretCipher cipher,
                            RandomSource random) {}

    /**
     * The out-ports of instance configuration: its stores, the outside services it checks against, the running
     * sessions it reconnects, the cipher sealing its secrets and where background reconnects run; the Chatwoot
     * mirror's outbox and mappings and Chatwoot's API.
     */
    public record ConfigurationPorts(ProxyStore proxies, InstanceSettingsStore settings, ChatwootStore chatwoot,
                                     S3Store s3, ChatwootInboxPort chatwootInboxes, S3BucketPort s3Buckets,
                                     WhatsAppSessionPort sessions, SecretCipher cipher, Executor background,
                                     ponte.application.port.out.ChatwootSyncStore chatwootSync,
                                     ponte.application.port.out.ChatwootApi chatwootApi) {}
}
