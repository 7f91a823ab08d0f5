package ponte.application.service;

import java.time.Duration;
import java.util.Objects;
import ponte.domain.webhook.RetrySchedule;
import ponte.domain.egress.EgressPolicy;

/**
 * How events are kept and delivered: the retry schedule, where webhooks may point, how long a worker's claim on a
 * delivery lasts (longer than any POST may take), and how long the log is kept.
 */
public record EventSettings(RetrySchedule schedule, EgressPolicy targets, Duration lease, Duration retention) {
    public EventSettings {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(retention, "retention");
    }
}
