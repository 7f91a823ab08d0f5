package ponte.application.service;

import java.time.Clock;
import java.util.Optional;
import ponte.application.error.NotFoundException;
import ponte.application.port.in.S3ConfigUseCase;
import ponte.application.port.out.S3BucketPort;
import ponte.application.port.out.S3Store;
import ponte.application.port.out.SecretCipher;
import ponte.application.port.out.Transactions;
import ponte.domain.auth.Principal;
import ponte.domain.integration.IntegrationStatus;
import ponte.domain.validation.ValidationException;

/** Keeps an instance's S3 media configuration and checks the bucket when it is enabled. */
final class S3Service implements S3ConfigUseCase {
    private final S3Store store;
    private final S3BucketPort buckets;
    private final InstanceAccess access;
    private final Transactions transactions;
    private final SecretCipher cipher;
    private final Clock clock;

    S3Service(S3Store store, S3BucketPort buckets, InstanceAccess access, Transactions transactions,
              SecretCipher cipher, Clock clock) {
        this.store = store;
        this.buckets = buckets;
        this.access = access;
        this.transactions = transactions;
        this.cipher = cipher;
        this.clock = clock;
    }

    @Override
    public Optional<S3State> find(Principal caller, String idOrName) {
        var instance = access.resolve(caller, idOrName);
        return store.find(instance.tenantId(), instance.id())
                .map(stored -> new S3State(instance.id(), stored.config(), stored.status(), stored.updatedAt()));
    }

    @Override
    public S3State configure(Principal caller, String idOrName, ConfigureS3 command) {
        var instance = access.resolve(caller, idOrName);
        var previous = store.find(instance.tenantId(), instance.id());
        var config = command.config().applyTo(previous.map(S3Store.Stored::config).orElse(null));
        var sealedSecret = command.secretAccessKey() != null ? cipher.seal(command.secretAccessKey())
                : previous.map(S3Store.Stored::sealedSecretAccessKey)
                        .orElseThrow(() -> ValidationException.of("secret_access_key", "is required"));
        // the bucket check happens outside any transaction: a slow store must not hold a connection
        var status = config.enabled() ? buckets.check(config, cipher.openString(sealedSecret))
                : IntegrationStatus.DISABLED;
        var stored = new S3Store.Stored(config, sealedSecret, status, clock.instant());
        transactions.run(() -> {
            access.resolve(caller, idOrName);
            store.save(instance.tenantId(), instance.id(), stored);
        });
        return new S3State(instance.id(), stored.config(), stored.status(), stored.updatedAt());
    }

    @Override
    public void remove(Principal caller, String idOrName) {
        transactions.run(() -> {
            var instance = access.resolve(caller, idOrName);
            if (!store.delete(instance.tenantId(), instance.id())) {
                throw new NotFoundException("instance '" + idOrName + "' has no S3 configuration");
            }
        });
    }
}
