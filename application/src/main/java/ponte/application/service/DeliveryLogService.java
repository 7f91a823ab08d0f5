package ponte.application.service;

import java.time.Clock;
import java.util.UUID;
import ponte.application.error.NotFoundException;
import ponte.application.model.Delivery;
import ponte.application.model.DeliveryDetail;
import ponte.application.model.Page;
import ponte.application.model.PageRequest;
import ponte.application.port.in.WebhookDeliveriesUseCase;
import ponte.application.port.out.DeliveryLog;
import ponte.domain.auth.Principal;
import ponte.domain.auth.TokenKind;

/** The log within the caller's tenant; an instance token sees its own instance's deliveries only. */
final class DeliveryLogService implements WebhookDeliveriesUseCase {
    private final DeliveryLog log;
    private final InstanceAccess access;
    private final Clock clock;

    DeliveryLogService(DeliveryLog log, InstanceAccess access, Clock clock) {
        this.log = log;
        this.access = access;
        this.clock = clock;
    }

    @Override
    public Page<Delivery> list(Principal caller, DeliveryQuery query, PageRequest page) {
        var instanceId = instanceFilter(caller, query.instance());
        return log.list(caller.tenantId(), new DeliveryLog.Filter(instanceId, query.status(), query.event()), page);
    }

    @Override
    public DeliveryDetail get(Principal caller, UUID deliveryId) {
        return visible(caller, deliveryId);
    }

    @Override
    public void redeliver(Principal caller, UUID deliveryId) {
        visible(caller, deliveryId);
        log.redeliver(caller.tenantId(), deliveryId, clock.instant());
    }

    /** A deleted instance of the caller's tenant is known by the deliveries the log kept for it. */
    private UUID logged(Principal caller, UUID instanceId) {
        var kept = log.list(caller.tenantId(), new DeliveryLog.Filter(instanceId, null, null), new PageRequest(1, null));
        if (kept.items().isEmpty()) {
            throw new NotFoundException("instance '" + instanceId + "' not found");
        }
        return instanceId;
    }

    private DeliveryDetail visible(Principal caller, UUID deliveryId) {
        access.requireTenantToken(caller);
        return log.find(caller.tenantId(), deliveryId)
                .filter(detail -> caller.kind() != TokenKind.INSTANCE
                        || detail.delivery().instanceId().equals(caller.instanceId()))
                .orElseThrow(() -> new NotFoundException("webhook delivery " + deliveryId + " not found"));
    }

    /**
     * A name must be a live instance's; an id also names a deleted one, whose log is kept. An id that is neither (say
     * another tenant's instance) is 404, as every other tenant's resource is, not an empty page.
     */
    private UUID instanceFilter(Principal caller, String instance) {
        access.requireTenantToken(caller);
        UUID wanted = null;
        if (instance != null && !instance.isBlank()) {
            var asId = InstanceAccess.parseUuid(instance);
            wanted = asId.isPresent() && access.find(caller, asId.get()).isEmpty() ? logged(caller, asId.get())
                    : access.resolve(caller, instance).id();
        }
        if (caller.kind() == TokenKind.INSTANCE) {
            if (wanted != null && !wanted.equals(caller.instanceId())) {
                throw new NotFoundException("instance '" + instance + "' not found");
            }
            return caller.instanceId();
        }
        return wanted;
    }
}
