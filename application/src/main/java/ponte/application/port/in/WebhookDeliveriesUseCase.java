package ponte.application.port.in;

import java.util.UUID;
import ponte.application.port.out.DeliveryLog;
import ponte.application.port.out.DeliveryQueue;
import ponte.application.port.out.Page;
import ponte.application.port.out.PageRequest;
import ponte.domain.auth.Principal;

/** The delivery log: what went where, with every attempt; and sending one again. */
public interface WebhookDeliveriesUseCase {
    Page<DeliveryLog.Delivery> list(Principal caller, DeliveryQuery query, PageRequest page);

    DeliveryLog.Detail get(Principal caller, UUID deliveryId);

    /** Queues the delivery again with a fresh retry round, whatever its state. */
    void redeliver(Principal caller, UUID deliveryId);

    /** {@code instance} is an id or a name (an id still works after the instance was deleted). */
    record DeliveryQuery(String instance, DeliveryQueue.Status status, String event) {}
}
