package ponte.application.service;

import java.time.Clock;
import java.util.Optional;
import ponte.application.error.NotFoundException;
import ponte.application.port.in.ChatwootConfigUseCase;
import ponte.application.port.out.ChatwootInboxPort;
import ponte.application.port.out.ChatwootStore;
import ponte.application.port.out.SecretCipher;
import ponte.application.port.out.Transactions;
import ponte.domain.auth.Principal;
import ponte.domain.egress.EgressPolicy;
import ponte.domain.integration.IntegrationStatus;
import ponte.domain.validation.ValidationException;

/** Keeps an instance's Chatwoot configuration and activates it against Chatwoot when it is enabled. */
final class ChatwootService implements ChatwootConfigUseCase {
    private final ChatwootStore store;
    private final ChatwootInboxPort chatwoot;
    private final InstanceAccess access;
    private final Transactions transactions;
    private final SecretCipher cipher;
    private final Clock clock;
    private final ponte.application.port.out.SecretGenerator secrets;
    private final EgressPolicy egress;
    private final ponte.application.port.out.ChatwootSyncStore sync;

    /** {@code egress}: the addresses the gateway may reach; a {@code base_url} naming another is refused (400). */
    ChatwootService(ChatwootStore store, ChatwootInboxPort chatwoot, InstanceAccess access, Transactions transactions,
                    SecretCipher cipher, Clock clock, ponte.application.port.out.SecretGenerator secrets,
                    EgressPolicy egress, ponte.application.port.out.ChatwootSyncStore sync) {
        this.egress = egress;
        this.sync = sync;
        this.secrets = secrets;
        this.store = store;
        this.chatwoot = chatwoot;
        this.access = access;
        this.transactions = transactions;
        this.cipher = cipher;
        this.clock = clock;
    }

    @Override
    public Optional<ChatwootState> find(Principal caller, String idOrName) {
        var instance = access.resolve(caller, idOrName);
        return store.find(instance.tenantId(), instance.id()).map(stored -> new ChatwootState(instance.id(),
                stored.config(), stored.inboxId(), stored.status(), stored.updatedAt()));
    }

    @Override
    public ChatwootState configure(Principal caller, String idOrName, ConfigureChatwoot command) {
        var instance = access.resolve(caller, idOrName);
        var previous = store.find(instance.tenantId(), instance.id());
        var config = command.config().applyTo(previous.map(ChatwootStore.Stored::config).orElse(null));
        egress.parse("base_url", config.baseUrl()); // a refused address is a 400 now, not an error status later
        var sealedToken = command.apiToken() != null ? cipher.seal(command.apiToken())
                : previous.map(ChatwootStore.Stored::sealedApiToken)
                        .orElseThrow(() -> ValidationException.of("api_token", "is required"));
        // one secret per instance, made once: an inbox keeps the URL it was given
        var sealedSecret = previous.map(ChatwootStore.Stored::sealedWebhookSecret)
                .orElseGet(() -> cipher.seal(secrets.next("cws_", 32)));
        // the call to Chatwoot happens outside any transaction: a slow Chatwoot must not hold a connection
        var activation = config.enabled()
                ? chatwoot.activate(instance.id(), config, cipher.openString(sealedToken),
                cipher.openString(sealedSecret))
                : new ChatwootInboxPort.Activation(IntegrationStatus.DISABLED,
                        previous.map(ChatwootStore.Stored::inboxId).orElse(null));
        var stored = new ChatwootStore.Stored(config, sealedToken, activation.inboxId(),
                activation.status(), clock.instant(), sealedSecret);
        transactions.run(() -> {
            access.resolve(caller, idOrName);
            store.save(instance.tenantId(), instance.id(), stored);
        });
        return new ChatwootState(instance.id(), stored.config(), stored.inboxId(), stored.status(),
                stored.updatedAt());
    }

    @Override
    public ponte.application.model.Page<ponte.application.model.ChatwootDelivery> deliveries(
            Principal caller, String idOrName, ponte.application.model.DeliveryStatus status,
            ponte.application.model.PageRequest page) {
        return sync.list(access.resolve(caller, idOrName).id(), status, page);
    }

    @Override
    public void remove(Principal caller, String idOrName) {
        transactions.run(() -> {
            var instance = access.resolve(caller, idOrName);
            if (!store.delete(instance.tenantId(), instance.id())) {
                throw new NotFoundException("instance '" + idOrName + "' has no Chatwoot configuration");
            }
        });
    }
}
