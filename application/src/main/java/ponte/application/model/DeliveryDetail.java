package ponte.application.model;

import java.util.List;

/** A delivery with every attempt, oldest first, and the event's JSON as it is POSTed. */
public record DeliveryDetail(Delivery delivery, List<DeliveryAttempt> attempts, String payload) {
    public DeliveryDetail {
        attempts = List.copyOf(attempts);
    }
}
