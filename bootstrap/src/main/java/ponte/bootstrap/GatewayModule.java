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
import ponte.adapters.http.HttpAdapter;
import ponte.adapters.persistence.PersistenceAdapter;
import ponte.application.port.out.SecretCipher;
import ponte.application.service.ApplicationServices;

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
        return PersistenceAdapter.migrateAndOpen(database.dataSource());
    }

    @Provides
    @Singleton
    static DeliveryAdapter delivery(Config config) {
        return new DeliveryAdapter(config.publicUrl(), INTEGRATION_TIMEOUT);
    }

    @Provides
    @Singleton
    static ApplicationServices services(Config config, PersistenceAdapter persistence, DeliveryAdapter delivery,
                                        SecretCipher cipher, Clock clock, SecureRandom random) {
        var ports = new ApplicationServices.Ports(persistence.tenants(), persistence.tokens(),
                persistence.instances(), persistence.adminCredential(), persistence.transactions(),
                new TimeOrderedIds(clock, random), new RandomSecrets(random));
        var configuration = new ApplicationServices.ConfigurationPorts(persistence.proxies(),
                persistence.instanceSettings(), persistence.chatwoot(), persistence.s3(), delivery.chatwootInboxes(),
                delivery.s3Buckets(), new NoWhatsAppEngine(), cipher,
                Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("proxy-reconnect-", 0).factory()));
        return new ApplicationServices(ports, configuration, clock, config.adminToken());
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

    @Provides
    @Singleton
    static HttpAdapter http(Config config, ApplicationServices services, PrometheusMeterRegistry metrics,
                            PersistenceAdapter persistence, Clock clock) {
        var settings = new HttpAdapter.Settings(Version.current(), config.maxBodyBytes(),
                config.instanceCreatesPerMinute(), config.requestsPerMinute());
        var useCases = new HttpAdapter.UseCases(services.authenticate(), services.createTenant(),
                services.tenantQueries(), services.deleteTenant(), services.issueAccountToken(),
                services.createInstance(), services.instanceQueries(), services.deleteInstance(),
                services.tenantProxy(), services.instanceProxy(), services.instanceSettings(),
                services.chatwootConfig(), services.s3Config());
        return new HttpAdapter(settings, useCases, metrics, persistence::isReachable, clock);
    }
}
