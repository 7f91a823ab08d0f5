package ponte.adapters.whatsapp.client;

import java.time.Duration;

/** Reconnect delays that grow with consecutive failures (whatsmeow waits failures × 2 s), capped. */
record Backoff(Duration step, Duration max) {

    static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(1));

    Duration delay(int consecutiveFailures) {
        Duration delay = step.multipliedBy(Math.max(0, consecutiveFailures));
        return delay.compareTo(max) > 0 ? max : delay;
    }
}
