package ponte.application.service;

import ponte.application.port.in.InstanceSettingsUseCase;
import ponte.application.port.out.InstanceSettingsStore;
import ponte.application.port.out.Transactions;
import ponte.domain.auth.Principal;
import ponte.domain.settings.InstanceSettings;

final class SettingsService implements InstanceSettingsUseCase {
    private final InstanceSettingsStore settings;
    private final InstanceAccess access;
    private final Transactions transactions;

    private final java.util.function.Consumer<java.util.UUID> alwaysOnlineChanged;

    SettingsService(InstanceSettingsStore settings, InstanceAccess access, Transactions transactions) {
        this(settings, access, transactions, id -> { });
    }

    /** {@code alwaysOnlineChanged} runs after a commit that changed {@code always_online} (to send the presence). */
    SettingsService(InstanceSettingsStore settings, InstanceAccess access, Transactions transactions,
                    java.util.function.Consumer<java.util.UUID> alwaysOnlineChanged) {
        this.alwaysOnlineChanged = alwaysOnlineChanged;
        this.settings = settings;
        this.access = access;
        this.transactions = transactions;
    }

    @Override
    public InstanceSettings get(Principal caller, String idOrName) {
        var instance = access.resolve(caller, idOrName);
        return settings.find(instance.tenantId(), instance.id()).orElse(InstanceSettings.DEFAULTS);
    }

    @Override
    public InstanceSettings update(Principal caller, String idOrName, InstanceSettings.Patch patch) {
        return transactions.inTransaction(() -> {
            var instance = access.resolve(caller, idOrName);
            var before = settings.find(instance.tenantId(), instance.id()).orElse(InstanceSettings.DEFAULTS);
            var updated = before.with(patch);
            settings.save(instance.tenantId(), instance.id(), updated);
            if (updated.alwaysOnline() != before.alwaysOnline()) {
                transactions.afterCommit(() -> alwaysOnlineChanged.accept(instance.id()));
            }
            return updated;
        });
    }
}
