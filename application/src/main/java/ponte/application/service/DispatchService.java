package ponte.application.service;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import ponte.application.model.DeliveryAttempt;
import ponte.application.model.DeliveryStatus;
import ponte.application.port.in.DispatchWebhooksUseCase;
import ponte.application.port.out.DeliveryLog;
import ponte.application.port.out.DeliveryQueue;
import ponte.application.port.out.GatewayMetrics;
import ponte.application.port.out.GatewayMetrics.DeliveryOutcome;
import ponte.application.port.out.IdGenerator;
import ponte.application.port.out.RandomSource;
import ponte.application.port.out.SecretCipher;

/** Leases due deliveries to the dispatcher and applies the retry schedule to the outcome of every attempt. */
final class DispatchService implements DispatchWebhooksUseCase {
    private static final int MAX_ERROR_LENGTH = 500;

    private final DeliveryQueue queue;
    private final DeliveryLog log;
    private final SecretCipher cipher;
    private final IdGenerator ids;
    private final RandomSource random;
    private final EventSettings settings;
    private final Clock clock;
    private final GatewayMetrics metrics;
    private final ponte.application.port.out.AuditLog audit;

    DispatchService(DeliveryQueue queue, DeliveryLog log, SecretCipher cipher, IdGenerator ids, RandomSource random,
                    EventSettings settings, Clock clock, GatewayMetrics metrics,
                    ponte.application.port.out.AuditLog audit) {
        this.audit = audit;
        this.queue = queue;
        this.log = log;
        this.cipher = cipher;
        this.ids = ids;
        this.random = random;
        this.settings = settings;
        this.clock = clock;
        this.metrics = metrics;
    }

    @Override
    public List<DueWebhook> claimDue(int max) {
        var now = clock.instant();
        var token = ids.newId();
        var due = new ArrayList<DueWebhook>();
        for (var claimed : queue.claim(max, now, now.plus(settings.lease()), token)) {
            if (claimed.webhook() == null) {
                queue.recordAttempt(claimed.id(), token, new DeliveryAttempt(now, null, "the webhook was deleted", 0),
                        DeliveryStatus.FAILED, null);
                continue;
            }
            var webhook = claimed.webhook();
            due.add(new DueWebhook(claimed.id(), token, claimed.eventId(), claimed.event(), claimed.url(),
                    claimed.payload(), cipher.openString(webhook.sealedSecret()),
                    webhook.sealedAuthorization() == null ? null : cipher.openString(webhook.sealedAuthorization()),
                    webhook.headers(), claimed.attempts() + 1, claimed.roundAttempts(), claimed.roundStartedAt(),
                    webhook.mediaBase64()));
        }
        return due;
    }

    @Override
    public void recordAttempts(List<Attempted> attempts) {
        var now = clock.instant();
        var outcomes = new ArrayList<DeliveryQueue.Outcome>(attempts.size());
        for (var attempted : attempts) {
            outcomes.add(outcome(attempted.delivery(), attempted.result(), now));
        }
        queue.recordAll(outcomes);
        for (int i = 0; i < outcomes.size(); i++) {
            var status = outcomes.get(i).next();
            metrics.deliveryAttempt(status == DeliveryStatus.SUCCEEDED ? DeliveryOutcome.SUCCEEDED
                            : status == DeliveryStatus.FAILED ? DeliveryOutcome.FAILED : DeliveryOutcome.RETRY,
                    Duration.ofMillis(attempts.get(i).result().durationMs()));
        }
    }

    private DeliveryQueue.Outcome outcome(DueWebhook delivery, AttemptResult result, java.time.Instant now) {
        if (result.succeeded()) {
            return new DeliveryQueue.Outcome(delivery.deliveryId(), delivery.claimToken(), delivery.attempt(),
                    new DeliveryAttempt(now, result.statusCode(), null, result.durationMs()), DeliveryStatus.SUCCEEDED,
                    null);
        }
        var error = result.error() == null ? "the receiver answered " + result.statusCode()
                : result.error().length() <= MAX_ERROR_LENGTH ? result.error()
                : result.error().substring(0, MAX_ERROR_LENGTH);
        var roundStart = delivery.roundStartedAt() == null ? now : delivery.roundStartedAt();
        var next = settings.schedule().next(delivery.roundAttempts() + 1, roundStart, now, random.nextUnit());
        return new DeliveryQueue.Outcome(delivery.deliveryId(), delivery.claimToken(), delivery.attempt(),
                new DeliveryAttempt(now, result.statusCode(), error, result.durationMs()),
                next.isPresent() ? DeliveryStatus.PENDING : DeliveryStatus.FAILED, next.orElse(null));
    }

    @Override
    public void postpone(DueWebhook delivery, Duration delay) {
        queue.postpone(delivery.deliveryId(), delivery.claimToken(), clock.instant().plus(delay));
    }

    @Override
    public int purgeExpired() {
        // the audit log is kept as long as the events are
        var before = clock.instant().minus(settings.retention());
        return log.purgeBefore(before) + audit.purgeBefore(before);
    }
}
