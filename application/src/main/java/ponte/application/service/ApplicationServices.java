package ponte.application.service;

import java.time.Clock;
import java.util.Optional;
import ponte.application.port.in.AuthenticateUseCase;
import ponte.application.port.in.CreateInstanceUseCase;
import ponte.application.port.in.CreateTenantUseCase;
import ponte.application.port.in.DeleteInstanceUseCase;
import ponte.application.port.in.DeleteTenantUseCase;
import ponte.application.port.in.EnsureAdminTokenUseCase;
import ponte.application.port.in.InstanceQueries;
import ponte.application.port.in.IssueAccountTokenUseCase;
import ponte.application.port.in.TenantQueries;
import ponte.application.port.out.AdminCredentialStore;
import ponte.application.port.out.IdGenerator;
import ponte.application.port.out.InstanceStore;
import ponte.application.port.out.SecretGenerator;
import ponte.application.port.out.TenantStore;
import ponte.application.port.out.TokenStore;
import ponte.application.port.out.Transactions;

/** Builds the use cases from the out-ports the adapters provide; the services themselves stay package-private. */
public final class ApplicationServices {
    private final TenantService tenants;
    private final AuthService auth;
    private final InstanceService instances;

    public ApplicationServices(Ports ports, Clock clock, Optional<String> configuredAdminToken) {
        this.tenants = new TenantService(ports.tenants(), ports.tokens(), ports.instances(), ports.transactions(),
                ports.ids(), ports.secrets(), clock);
        this.auth = new AuthService(ports.tokens(), ports.adminCredential(), ports.secrets(), clock,
                configuredAdminToken);
        this.instances = new InstanceService(ports.instances(), ports.tenants(), ports.tokens(), ports.transactions(),
                ports.ids(), ports.secrets(), clock);
    }

    /** The out-ports the core needs, in one place so wiring cannot forget one. */
    public record Ports(TenantStore tenants, TokenStore tokens, InstanceStore instances,
                       AdminCredentialStore adminCredential, Transactions transactions, IdGenerator ids,
                       SecretGenerator secrets) {}

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
}
