package ponte.application.port.in;

import java.util.UUID;
import ponte.application.model.Delivery;
import ponte.application.model.DeliveryDetail;
import ponte.application.model.DeliveryStatus;
import ponte.application.model.Page;
import ponte.application.model.PageRequest;
import ponte.domain.auth.Principal;

/** The delivery log: what went where, with every attempt; and sending one again. */
public interface WebhookDeliveriesUseCase {
    Page<Delivery> list(Principal caller, DeliveryQuery query, PageRequest page);

    DeliveryDetail get(Principal caller, UUID deliveryId);

    /** Queues the delivery again with a fresh retry round, whatever its state. */
    void redeliver(Principal caller, UUID deliveryId);

    /** {@code instance} is an id or a name (an id still works after the instance was deleted). */
    record DeliveryQuery(String instance, DeliveryStatus status, String event) {}
}
