package ponte.application.service;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import ponte.application.port.in.SessionEventsUseCase;
import ponte.application.port.out.GatewayMetrics;
import ponte.application.port.out.GatewayMetrics.PairingOutcome;
import ponte.application.port.out.InstanceStore;
import ponte.application.port.out.PairingQrStore;
import ponte.application.port.out.SessionDirectory;
import ponte.application.port.out.Transactions;
import ponte.domain.instance.DisconnectReason;
import ponte.domain.instance.Instance;
import ponte.domain.instance.InstanceStatus;
import ponte.domain.instance.LinkedAccount;

/**
 * The engine's side of the session lifecycle: each report goes through the instance's status machine (which
 * drops stale and repeated reports) and what it changed is stored with its events in one transaction. Accepted pairing steps are counted for the operator's
 * metrics after they commit.
 */
final class SessionReportService implements SessionEventsUseCase {
    private final SessionDirectory directory;
    private final InstanceStore instances;
    private final PairingQrStore qrs;
    private final InstanceEventSink events;
    private final Transactions transactions;
    private final Clock clock;
    private final GatewayMetrics metrics;

    private final java.util.function.Consumer<UUID> whenConnected;

    SessionReportService(SessionDirectory directory, InstanceStore instances, PairingQrStore qrs,
                         InstanceEventSink events, Transactions transactions, Clock clock,
                         GatewayMetrics metrics) {
        this(directory, instances, qrs, events, transactions, clock, metrics, id -> { });
    }

    /**
     * {@code whenConnected} runs after an instance's connect or account change (a new push name) was recorded: its
     * standing presence, which carries the push name, is sent then.
     */
    SessionReportService(SessionDirectory directory, InstanceStore instances, PairingQrStore qrs,
                         InstanceEventSink events, Transactions transactions, Clock clock,
                         GatewayMetrics metrics, java.util.function.Consumer<UUID> whenConnected) {
        this.whenConnected = whenConnected;
        this.directory = directory;
        this.instances = instances;
        this.qrs = qrs;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
        this.metrics = metrics;
    }

    @Override
    public void connecting(UUID instanceId) {
        apply(instanceId, instance -> instance.reportConnecting(clock.instant()));
    }

    @Override
    public void qrShown(UUID instanceId, String qr, Instant expiresAt) {
        apply(instanceId, instance -> instance.reportQr(qr, expiresAt, clock.instant()),
                () -> qrs.show(instanceId, qr, expiresAt))
                .ifPresent(before -> metrics.pairing(PairingOutcome.QR_SHOWN));
    }

    @Override
    public void connected(UUID instanceId, LinkedAccount account) {
        apply(instanceId, instance -> instance.reportConnected(account, clock.instant()))
                .filter(before -> !before.hasPaired())
                .ifPresent(before -> metrics.pairing(PairingOutcome.PAIRED));
        whenConnected.accept(instanceId);
    }

    @Override
    public void accountUpdated(UUID instanceId, LinkedAccount account) {
        transactions.run(() -> directory.findLive(instanceId)
                .flatMap(instance -> instance.reportAccount(account, clock.instant()))
                .ifPresent(instances::update));
        whenConnected.accept(instanceId);
    }

    @Override
    public void disconnected(UUID instanceId, DisconnectReason reason) {
        var accepted = apply(instanceId, instance -> instance.reportDisconnected(reason, clock.instant()));
        if (accepted.isPresent() && reason == DisconnectReason.QR_TIMEOUT) {
            metrics.pairing(PairingOutcome.QR_TIMEOUT);
        } else if (accepted.isPresent() && reason == DisconnectReason.PAIRING_CODE_REJECTED) {
            metrics.pairing(PairingOutcome.CODE_REJECTED);
        }
    }

    @Override
    public void failed(UUID instanceId) {
        apply(instanceId, instance -> instance.reportFailed(clock.instant()));
    }

    private Optional<Instance> apply(UUID instanceId, Function<Instance, Instance.Outcome> report) {
        return apply(instanceId, report, () -> { });
    }

    /**
     * {@code showQr} stores the code shown, when the report was accepted as a QR rotation. Returns the instance as
     * it was before the report when the report changed it; empty when it was dropped.
     */
    private Optional<Instance> apply(UUID instanceId, Function<Instance, Instance.Outcome> report,
                                     Runnable showQr) {
        return transactions.inTransaction(() -> directory.findLive(instanceId).filter(instance -> {
            var outcome = report.apply(instance);
            var now = outcome.instance();
            if (now.status() == InstanceStatus.QR) {
                if (outcome.changed()) {
                    showQr.run();
                }
            } else {
                qrs.clear(instanceId);
            }
            if (!outcome.changed()) {
                return false;
            }
            if (!now.equals(instance)) {
                instances.update(now);
            }
            outcome.events().forEach(event -> events.append(now, event));
            return true;
        }));
    }
}
