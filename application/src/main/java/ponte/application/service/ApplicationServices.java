package ponte.application.service;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executor;
import ponte.application.port.in.AuthenticateUseCase;
import ponte.application.port.in.ChatwootConfigUseCase;
import ponte.application.port.in.CreateInstanceUseCase;
import ponte.application.port.in.CreateTenantUseCase;
import ponte.application.port.in.DeleteInstanceUseCase;
import ponte.application.port.in.DeleteTenantUseCase;
import ponte.application.port.in.EffectiveProxyQuery;
import ponte.application.port.in.EnsureAdminTokenUseCase;
import ponte.application.port.in.InstanceProxyUseCase;
import ponte.application.port.in.InstanceQueries;
import ponte.application.port.in.InstanceSettingsUseCase;
import ponte.application.port.in.IssueAccountTokenUseCase;
import ponte.application.port.in.S3ConfigUseCase;
import ponte.application.port.in.TenantProxyUseCase;
import ponte.application.port.in.TenantQueries;
import ponte.application.port.out.AdminCredentialStore;
import ponte.application.port.out.ChatwootInboxPort;
import ponte.application.port.out.ChatwootStore;
import ponte.application.port.out.IdGenerator;
import ponte.application.port.out.InstanceSettingsStore;
import ponte.application.port.out.InstanceStore;
import ponte.application.port.out.ProxyStore;
import ponte.application.port.out.S3BucketPort;
import ponte.application.port.out.S3Store;
import ponte.application.port.out.SecretCipher;
import ponte.application.port.out.SecretGenerator;
import ponte.application.port.out.TenantStore;
import ponte.application.port.out.TokenStore;
import ponte.application.port.out.Transactions;
import ponte.application.port.out.WhatsAppSessionPort;

/** Builds the use cases from the out-ports the adapters provide; the services themselves stay package-private. */
public final class ApplicationServices {
    private final TenantService tenants;
    private final AuthService auth;
    private final InstanceService instances;
    private final ProxyService proxies;
    private final SettingsService settings;
    private final ChatwootService chatwoot;
    private final S3Service s3;

    public ApplicationServices(Ports ports, ConfigurationPorts configuration, Clock clock,
                               Optional<String> configuredAdminToken) {
        this.tenants = new TenantService(ports.tenants(), ports.tokens(), ports.instances(), ports.transactions(),
                ports.ids(), ports.secrets(), clock);
        this.auth = new AuthService(ports.tokens(), ports.adminCredential(), ports.secrets(), clock,
                configuredAdminToken);
        this.instances = new InstanceService(ports.instances(), ports.tenants(), ports.tokens(), ports.transactions(),
                ports.ids(), ports.secrets(), clock);
        var access = new InstanceAccess(ports.instances());
        this.proxies = new ProxyService(configuration.proxies(), access, ports.transactions(), configuration.cipher(),
                configuration.sessions(), configuration.background());
        this.settings = new SettingsService(configuration.settings(), access, ports.transactions());
        this.chatwoot = new ChatwootService(configuration.chatwoot(), configuration.chatwootInboxes(), access,
                ports.transactions(), configuration.cipher(), clock);
        this.s3 = new S3Service(configuration.s3(), configuration.s3Buckets(), access, ports.transactions(),
                configuration.cipher(), clock);
    }

    /** The out-ports the core needs, in one place so wiring cannot forget one. */
    public record Ports(TenantStore tenants, TokenStore tokens, InstanceStore instances,
                       AdminCredentialStore adminCredential, Transactions transactions, IdGenerator ids,
                       SecretGenerator secrets) {}

    /**
     * The out-ports of instance configuration: its stores, the outside services it checks against, the running
     * sessions it reconnects, the cipher sealing its secrets and where background reconnects run.
     */
    public record ConfigurationPorts(ProxyStore proxies, InstanceSettingsStore settings, ChatwootStore chatwoot,
                                     S3Store s3, ChatwootInboxPort chatwootInboxes, S3BucketPort s3Buckets,
                                     WhatsAppSessionPort sessions, SecretCipher cipher, Executor background) {}

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

    public TenantProxyUseCase tenantProxy() {
        return proxies;
    }

    public InstanceProxyUseCase instanceProxy() {
        return proxies;
    }

    public EffectiveProxyQuery effectiveProxy() {
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
