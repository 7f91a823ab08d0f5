package ponte.bootstrap;

import dagger.Module;
import dagger.Provides;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import ponte.adapters.delivery.DeliveryAdapter;
import ponte.adapters.delivery.WebhookDelivery;
import ponte.adapters.delivery.chatwoot.ChatwootDispatcher;
import ponte.adapters.delivery.media.HttpMediaFetcher;
import ponte.adapters.delivery.media.JsoupLinkPreviews;
import ponte.adapters.delivery.media.LocalMediaStore;
import ponte.adapters.delivery.media.S3MediaStores;
import ponte.adapters.delivery.media.TikaMediaProbe;
import ponte.adapters.http.HttpAdapter;
import ponte.adapters.http.OperatorMetrics;
import ponte.adapters.persistence.PersistenceAdapter;
import ponte.adapters.whatsapp.engine.SessionEngine;
import ponte.application.port.in.UseCases;
import ponte.application.port.out.LeaseStore;
import ponte.application.port.out.MediaTransferPort;
import ponte.application.port.out.RandomSource;
import ponte.application.port.out.SecretCipher;
import ponte.application.service.ApplicationServices;
import ponte.application.service.EventSettings;
import ponte.application.service.LeaseSettings;
import ponte.application.service.MediaSettings;
import ponte.application.service.MessagingSettings;
import ponte.domain.egress.EgressPolicy;

/** How the adapters and the core are put together; the only place that knows every module. */
@Module
final class GatewayModule {
    /** How long a check against Chatwoot or S3 may take before it is reported as unreachable. */
    private static final Duration INTEGRATION_TIMEOUT = Duration.ofSeconds(10);

    private GatewayModule() {}

    @Provides
    @Singleton
    static SecureRandom random() {
        return new SecureRandom();
    }

    @Provides
    @Singleton
    static SecretCipher secretCipher(Config config, SecureRandom random) {
        try {
            return new AesGcmSecretCipher(MasterKey.resolve(config, random), random);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("could not read or create the master key", e);
        }
    }

    @Provides
    @Singleton
    static PersistenceAdapter persistence(Database database) {
        try {
            return PersistenceAdapter.migrateAndOpen(database.dataSource());
        } catch (PersistenceAdapter.SchemaAheadException e) {
            throw new StartupFailure(e.getMessage());
        }
    }

    @Provides
    @Singleton
    static WhatsAppNetwork whatsAppNetwork(Config config, Database database) {
        return WhatsAppNetwork.start(config, database.dataSource());
    }

    /** The engine reports to the use cases built with it as their port: the cycle is broken by a lazy lookup. */
    @Provides
    @Singleton
    static SessionEngine engine(Config config, WhatsAppNetwork network, Database database, SecretCipher cipher,
                                dagger.Lazy<UseCases> useCases, Clock clock) {
        return network.clients(config.waVersion()).newEngine(database.dataSource(), cipher,
                () -> useCases.get().sessionEvents(), () -> useCases.get().inboundEvents(),
                () -> useCases.get().inboundMessages(), () -> useCases.get().appState(),
                instanceId -> useCases.get().nodeSessions().leaseEpoch(instanceId), clock);
    }

    @Provides
    @Singleton
    static DeliveryAdapter delivery(Config config, Egresses egresses) {
        return new DeliveryAdapter(config.publicUrl(), INTEGRATION_TIMEOUT, egresses.chatwoot());
    }

    /** The outbound clients of webhooks, media URLs, link previews and Chatwoot, under the one egress policy. */
    @Provides
    @Singleton
    static Egresses egresses(Config config) {
        return Egresses.of(config.egress(), config.events().webhookTimeout(), config.media().fetchConnectTimeout(),
                INTEGRATION_TIMEOUT);
    }

    @Provides
    @Singleton
    static NodeId nodeId(Config config) {
        return NodeId.of(config);
    }

    @Provides
    @Singleton
    static EventFanOut eventFanOut() {
        return new EventFanOut();
    }

    /** Registered on the fan-out here, so this node's own events wake its waiters too. */
    @Provides
    @Singleton
    static EventSignals eventSignals(EventFanOut fanOut) {
        var signals = new EventSignals();
        fanOut.register(signals);
        return signals;
    }

    @Provides
    @Singleton
    static EgressPolicy egressPolicy(Config config) {
        return config.egress();
    }

    @Provides
    @Singleton
    static UseCases useCases(Config config, PersistenceAdapter persistence, DeliveryAdapter delivery,
                             SecretCipher cipher, WhatsAppNetwork network, Clock clock, SecureRandom random,
                             NodeId node, EventFanOut fanOut, EventSignals signals, EgressPolicy targets,
                             SessionEngine engine, OperatorMetrics operatorMetrics, Egresses egresses) {
        var ports = new ApplicationServices.Ports(persistence.tenants(), persistence.tokens(),
                persistence.instances(), persistence.adminCredential(), persistence.transactions(),
                new TimeOrderedIds(clock, random), new RandomSecrets(random), persistence.audit());
        var configuration = new ApplicationServices.ConfigurationPorts(persistence.proxies(),
                persistence.instanceSettings(), persistence.chatwoot(), persistence.s3(), delivery.chatwootInboxes(),
                delivery.s3Buckets(), engine, cipher,
                Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("proxy-reconnect-", 0).factory()),
                persistence.chatwootSync(), delivery.chatwootApi());
        var stores = persistence.events(node.value());
        var eventPorts = new ApplicationServices.EventPorts(persistence.webhooks(), persistence.websocketConfigs(),
                stores.outbox(), stores.queue(), stores.log(), fanOut, cipher, random::nextDouble);
        var events = config.events();
        var eventSettings = new EventSettings(events.retrySchedule(), targets, events.lease(), events.retention());
        var sessions = new ApplicationServices.SessionPorts(engine, persistence.pairingQrs(),
                persistence.sessionDirectory(), signals);
        var messageStores = persistence.messages();
        var pace = config.messaging();
        var messaging = new ApplicationServices.MessagingPorts(messageStores.store(), messageStores.queue(),
                messageStores.keys(), engine, engine, engine, secureSource(random),
                new MessagingSettings(pace.perChatPerSecond(), pace.perInstancePerSecond(), pace.pollInterval(),
                        pace.ackTimeout(), MessagingSettings.DEFAULTS.lookupWait(), pace.bodyRetention()),
                Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("ponte-send-", 0).factory()),
                persistence.chatState(), persistence.inboundStanzas());
        var nodes = config.nodes();
        var self = new LeaseStore.NodeRecord(node.value(), nodes.address().orElse(config.publicUrl().toString()),
                Version.current(), nodes.maxSessions());
        var nodePorts = new ApplicationServices.NodePorts(persistence.leases(),
                new LeaseSettings(self, nodes.leaseTime(), LeaseSettings.DEFAULT_HAND_OVER_WINDOW),
                persistence.nodeCommands(), System::nanoTime);
        return ApplicationServices.build(ports, configuration, network.sandbox(), eventPorts, eventSettings, sessions,
                clock, config.adminToken(), new ApplicationServices.OperatorPorts(operatorMetrics, persistence.stats()),
                messaging, engine, nodePorts, mediaPorts(config, persistence, engine, egresses));
    }

    /** The local media store under PONTE_DATA_DIR/media, the S3 stores, and the fetcher under the egress policy. */
    private static ApplicationServices.MediaPorts mediaPorts(Config config, PersistenceAdapter persistence,
                                                             SessionEngine engine, Egresses egresses) {
        var media = config.media();
        var policy = config.egress();
        var fetcher = new HttpMediaFetcher(egresses.media(), media.fetchReadTimeout());
        return new ApplicationServices.MediaPorts(persistence.mediaRecords(),
                new LocalMediaStore(Config.Media.root(config.dataDir())), new S3MediaStores(INTEGRATION_TIMEOUT),
                fetcher, new TikaMediaProbe(), new JsoupLinkPreviews(fetcher),
                new MediaSettings(config.publicUrl(), MediaSettings.MAX_MEDIA_BYTES, media.base64MaxBytes(), policy),
                transfers(engine));
    }

    /**
     * The wire's upload and download of media files: the engine's, once it speaks them (the mediawire work); until
     * then every transfer is refused, so a media send fails at once with that reason (it does not hold its chat's
     * queue through retries) and a received file is announced with {@code media.error}.
     */
    @SuppressWarnings("ConstantConditions")
    private static MediaTransferPort transfers(SessionEngine engine) {
        if ((Object) engine instanceof MediaTransferPort wire) {
            return wire;
        }
        return new MediaTransferPort() {
            @Override
            public MediaRef upload(java.util.UUID instanceId, MediaKind kind, java.nio.file.Path plaintext,
                                   SentFileSource again) {
                throw new ponte.application.port.out.MessagingPort.Refused(
                        "this build's WhatsApp client does not upload media yet");
            }

            @Override
            public void download(java.util.UUID instanceId, MessageKey message, MediaKind kind, MediaRef ref,
                                 java.io.OutputStream sink) {
                throw new MediaUnavailable("this build's WhatsApp client does not download media yet");
            }
        };
    }

    /** Jitter from {@code nextDouble}, message ids from the generator's own bytes. */
    private static RandomSource secureSource(SecureRandom random) {
        return new RandomSource() {
            @Override
            public double nextUnit() {
                return random.nextDouble();
            }

            @Override
            public byte[] nextBytes(int count) {
                var bytes = new byte[count];
                random.nextBytes(bytes);
                return bytes;
            }
        };
    }

    /** The threads that renew, balance and take this node's leases. */
    @Provides
    @Singleton
    static NodeLoop nodeLoop(UseCases useCases) {
        return new NodeLoop(useCases.nodeSessions());
    }

    /** The outgoing queue's worker; instance state changes wake it (an instance that came online may send). */
    @Provides
    @Singleton
    static OutgoingSenderLoop outgoingSender(UseCases useCases, EventFanOut fanOut) {
        var sendQueue = useCases.sendQueue();
        fanOut.register((event, deliveriesQueued) -> {
            if (event.event() == ponte.domain.event.EventType.INSTANCE_STATE) {
                sendQueue.wake();
            }
        });
        return new OutgoingSenderLoop(sendQueue);
    }

    @Provides
    @Singleton
    static WebhookDelivery webhookDelivery(Config config, UseCases useCases, Egresses egresses,
                                           EventFanOut fanOut, Clock clock) {
        var events = config.events();
        var settings = new WebhookDelivery.Settings(events.webhookTimeout(), events.webhookConcurrency(),
                events.webhookPerHost(), events.pollInterval(), events.circuitOpenFor(), events.circuitMinimumCalls());
        var delivery = new WebhookDelivery(settings, useCases.dispatch(), useCases.media(), egresses.webhooks(),
                clock);
        fanOut.register((event, deliveriesQueued) -> {
            if (deliveriesQueued) {
                delivery.wake();
            }
        });
        return delivery;
    }

    /** The Chatwoot mirror's worker; a stored message event wakes it, as it wakes the webhook dispatcher. */
    @Provides
    @Singleton
    static ChatwootDispatcher chatwootDispatcher(Config config, UseCases useCases, EventFanOut fanOut) {
        var dispatcher = new ChatwootDispatcher(useCases.chatwootSync(), config.events().pollInterval());
        fanOut.register((event, deliveriesQueued) -> {
            if (deliveriesQueued) {
                dispatcher.wake();
            }
        });
        return dispatcher;
    }

    @Provides
    @Singleton
    static PrometheusMeterRegistry metrics() {
        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        return registry;
    }

    /** The gateway's own metrics, on the registry /metrics serves: the core counts into them, http reads them out. */
    @Provides
    @Singleton
    static OperatorMetrics operatorMetrics(PrometheusMeterRegistry metrics) {
        return new OperatorMetrics(metrics);
    }

    @Provides
    @Singleton
    static HttpAdapter http(Config config, UseCases useCases, PrometheusMeterRegistry metrics,
                            OperatorMetrics operatorMetrics, PersistenceAdapter persistence, EventFanOut fanOut,
                            Clock clock) {
        var limits = config.limits();
        var settings = new HttpAdapter.Settings(Version.current(), limits.maxBodyBytes(), limits.maxMediaBodyBytes(),
                limits.instanceCreatesPerMinute(), limits.requestsPerMinute(), limits.sendsPerMinute(),
                limits.liveClientsPerTenant(), limits.authFailuresPerMinute(), limits.idleTimeout(),
                limits.headerTimeout(), limits.minBodyBytesPerSecond(),
                config.sandboxApi().map(api -> new HttpAdapter.SandboxUpstream(api.base(), api.token())));
        var http = new HttpAdapter(settings, useCases, metrics, operatorMetrics, persistence::isReachable, clock);
        fanOut.register(http.liveEvents());
        return http;
    }
}
