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

    SettingsService(InstanceSettingsStore settings, InstanceAccess access, Transactions transactions) {
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
            var updated = settings.find(instance.tenantId(), instance.id()).orElse(InstanceSettings.DEFAULTS)
                    .with(patch);
            settings.save(instance.tenantId(), instance.id(), updated);
            return updated;
        });
    }
}
