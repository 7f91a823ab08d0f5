package ponte.application.service;

import java.time.Clock;
import ponte.application.error.ConflictException;
import ponte.application.error.ForbiddenException;
import ponte.application.error.NotFoundException;
import ponte.application.error.QuotaExceededException;
import ponte.application.model.Page;
import ponte.application.model.PageRequest;
import ponte.application.port.in.InstancesUseCase;
import ponte.application.port.out.IdGenerator;
import ponte.application.port.out.InstanceStore;
import ponte.application.port.out.SecretGenerator;
import ponte.application.port.out.SessionControlPort;
import ponte.application.port.out.TenantStore;
import ponte.application.port.out.TokenStore;
import ponte.application.port.out.Transactions;
import ponte.domain.auth.Principal;
import ponte.domain.auth.TokenKind;
import ponte.domain.instance.Instance;

final class InstanceService implements InstancesUseCase {
    private static final System.Logger LOG = System.getLogger(InstanceService.class.getName());

    private final SessionControlPort sessions;
    private final InstanceStore instances;
    private final TenantStore tenants;
    private final TokenStore tokens;
    private final InstanceAccess access;
    private final Transactions transactions;
    private final IdGenerator ids;
    private final SecretGenerator secrets;
    private final EventIngestService events;
    private final Clock clock;
    private final java.util.function.BiFunction<java.util.UUID, java.util.UUID, Runnable> mediaRemoval;

    InstanceService(InstanceStore instances, TenantStore tenants, TokenStore tokens, Transactions transactions,
                    IdGenerator ids, SecretGenerator secrets, EventIngestService events, SessionControlPort sessions,
                    Clock clock) {
        this(instances, tenants, tokens, transactions, ids, secrets, events, sessions, clock,
                (tenant, id) -> () -> { });
    }

    /**
     * {@code mediaRemoval(tenant, instance)}: called in the deleting transaction, before the instance is marked
     * deleted; what it returns removes the instance's stored media files once the delete is committed.
     */
    InstanceService(InstanceStore instances, TenantStore tenants, TokenStore tokens, Transactions transactions,
                    IdGenerator ids, SecretGenerator secrets, EventIngestService events, SessionControlPort sessions,
                    Clock clock, java.util.function.BiFunction<java.util.UUID, java.util.UUID, Runnable> mediaRemoval) {
        this.mediaRemoval = mediaRemoval;
        this.sessions = sessions;
        this.instances = instances;
        this.tenants = tenants;
        this.tokens = tokens;
        this.access = new InstanceAccess(instances);
        this.transactions = transactions;
        this.ids = ids;
        this.secrets = secrets;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public CreatedInstance create(Principal caller, CreateInstanceCommand command, InstanceSetup setup) {
        requireAccount(caller);
        var token = command.customToken() != null ? command.customToken()
                : secrets.next(TokenPrefix.INSTANCE, TokenPrefix.ENTROPY_BYTES);
        var tokenHash = TokenHash.of(token);
        var change = insert(caller, command, tokenHash);
        try {
            setup.configure(change.instance());
        } catch (RuntimeException e) {
            // the blocks are independent of the instance: one that fails leaves it created
            LOG.log(System.Logger.Level.WARNING, "configuring new instance {0} failed: {1}", change.instance().id(),
                    e.toString());
        }
        // announced once its configuration is in place, so the webhooks it was created with hear of it
        transactions.run(() -> events.append(change.instance(), change.event()));
        return new CreatedInstance(change.instance(), token);
    }

    private Instance.Change insert(Principal caller, CreateInstanceCommand command, byte[] tokenHash) {
        return transactions.inTransaction(() -> {
            var tenant = tenants.lock(caller.tenantId())
                    .orElseThrow(() -> new NotFoundException("tenant not found"));
            if (!tenant.admitsAnotherInstance(instances.countLive(tenant.id()))) {
                throw new QuotaExceededException("the tenant has reached its limit of " + tenant.maxInstances()
                        + " instances");
            }
            if (instances.findByName(tenant.id(), command.name().value()).isPresent()) {
                throw new ConflictException("an instance named '" + command.name() + "' already exists");
            }
            if (tokens.isTaken(tokenHash)) {
                throw new ConflictException("this instance token is already in use");
            }
            var change = Instance.create(ids.newId(), tenant.id(), command.name(), command.metadata(), clock.instant());
            var instance = change.instance();
            instances.insert(instance);
            var tokenId = ids.newId();
            tokens.insert(tokenId, new Principal(TokenKind.INSTANCE, tokenId, tenant.id(), instance.id()), tokenHash,
                    instance.createdAt());
            return change;
        });
    }

    @Override
    public Page<Instance> list(Principal caller, String nameFilter, PageRequest page) {
        if (caller.isAdmin()) {
            throw new ForbiddenException("the admin token manages tenants; use an account token");
        }
        if (caller.kind() == TokenKind.INSTANCE) {
            var own = instances.find(caller.tenantId(), caller.instanceId())
                    .filter(instance -> nameFilter == null || instance.name().value().equals(nameFilter));
            return new Page<>(own.stream().toList(), null);
        }
        return instances.list(caller.tenantId(), nameFilter, page);
    }

    @Override
    public Instance get(Principal caller, String idOrName) {
        return access.resolve(caller, idOrName);
    }

    @Override
    public void delete(Principal caller, String idOrName) {
        requireAccount(caller);
        transactions.run(() -> {
            var instance = access.resolve(caller, idOrName);
            var now = clock.instant();
            events.append(instance, instance.delete(now));
            // read before the delete forgets the instance's configuration (its S3 bucket among it)
            var removeMedia = mediaRemoval.apply(instance.tenantId(), instance.id());
            instances.softDelete(instance.id(), now);
            tokens.revokeForInstance(instance.id(), now);
            // the session stops, and its credentials go, only once the delete is certain
            transactions.afterCommit(() -> sessions.discard(instance.id()));
            // and so do its stored media files (local store or its S3 bucket)
            transactions.afterCommit(removeMedia);
        });
    }

    private static void requireAccount(Principal caller) {
        if (!caller.isAccount()) {
            throw new ForbiddenException("this route needs an account token");
        }
    }
}
