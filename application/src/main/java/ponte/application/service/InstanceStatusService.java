package ponte.application.service;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import ponte.application.error.NotFoundException;
import ponte.application.port.in.ChangeInstanceStatusUseCase;
import ponte.application.port.out.InstanceStore;
import ponte.application.port.out.Transactions;
import ponte.domain.instance.Instance;

final class InstanceStatusService implements ChangeInstanceStatusUseCase {
    private final InstanceStore instances;
    private final EventIngestService events;
    private final Transactions transactions;
    private final Clock clock;

    InstanceStatusService(InstanceStore instances, EventIngestService events, Transactions transactions,
                          Clock clock) {
        this.instances = instances;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
    }

    @Override
    public Instance change(UUID tenantId, UUID instanceId, Transition transition) {
        return transactions.inTransaction(() -> {
            var change = transition.apply(load(tenantId, instanceId), clock.instant());
            instances.update(change.instance());
            events.append(change.instance(), change.event());
            return change.instance();
        });
    }

    @Override
    public void rotateQr(UUID tenantId, UUID instanceId, String qr, Instant expiresAt) {
        transactions.run(() -> {
            var instance = load(tenantId, instanceId);
            events.append(instance, instance.rotateQr(qr, expiresAt, clock.instant()));
        });
    }

    private Instance load(UUID tenantId, UUID instanceId) {
        return instances.find(tenantId, instanceId)
                .orElseThrow(() -> new NotFoundException("instance " + instanceId + " not found"));
    }
}
