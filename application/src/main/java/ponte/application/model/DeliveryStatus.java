package ponte.application.model;

import java.util.Locale;

/** Where a webhook delivery stands: waiting for its next attempt, delivered, or given up (dead-lettered). */
public enum DeliveryStatus {
    PENDING, SUCCEEDED, FAILED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
