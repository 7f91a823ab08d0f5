package ponte.application.service;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import ponte.application.error.ConflictException;
import ponte.application.error.ForbiddenException;
import ponte.application.port.in.DeviceQueries;
import ponte.application.port.in.ResumeSessionsUseCase;
import ponte.application.port.in.SessionEventsUseCase;
import ponte.application.port.in.SessionLifecycleUseCase;
import ponte.application.port.out.InstanceStore;
import ponte.application.port.out.GatewayMetrics;
import ponte.application.port.out.GatewayMetrics.PairingOutcome;
import ponte.application.port.out.PairingQrStore;
import ponte.application.port.out.PairingQrStore.CurrentQr;
import ponte.application.port.out.SessionControlPort;
import ponte.application.port.out.SessionControlPort.PairingCode;
import ponte.application.port.out.Transactions;
import ponte.domain.auth.Principal;
import ponte.domain.instance.DisconnectReason;
import ponte.domain.instance.IllegalTransitionException;
import ponte.domain.instance.Instance;
import ponte.domain.instance.InstanceStatus;
import ponte.domain.instance.LinkedAccount;

/**
 * The session lifecycle on both sides: what users ask of the engine, and what the engine reports back, each
 * report applied to the status machine and recorded as an event in one transaction.
 */
final class SessionService implements SessionLifecycleUseCase, SessionEventsUseCase, DeviceQueries,
        ResumeSessionsUseCase {
    private static final System.Logger LOG = System.getLogger(SessionService.class.getName());

    private final InstanceStore instances;
    private final InstanceAccess access;
    private final PairingQrStore qrs;
    private final SessionControlPort engine;
    private final ProxyService proxies;
    private final InstanceEventSink events;
    private final Transactions transactions;
    private final Clock clock;
    private final Duration firstQrWait;
    private final GatewayMetrics metrics;

    SessionService(InstanceStore instances, PairingQrStore qrs, SessionControlPort engine, ProxyService proxies,
                   InstanceEventSink events, Transactions transactions, Clock clock, Duration firstQrWait,
                   GatewayMetrics metrics) {
        this.metrics = metrics;
        this.instances = instances;
        this.access = new InstanceAccess(instances);
        this.qrs = qrs;
        this.engine = engine;
        this.proxies = proxies;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
        this.firstQrWait = firstQrWait;
    }

    @Override
    public Connection connect(Principal caller, String idOrName) {
        var instance = access.resolve(caller, idOrName);
        if (instance.status() == InstanceStatus.CONNECTED) {
            return new Connection(instance, Optional.empty());
        }
        var showing = showingQr(instance);
        if (showing.isPresent()) {
            return new Connection(instance, showing);
        }
        var before = qrs.current(instance.id());
        engine.start(instance.id(), proxyOf(instance));
        if (instance.hasPaired()) {
            return new Connection(reload(instance), Optional.empty());
        }
        var qr = qrs.awaitNew(instance.id(), before, firstQrWait);
        return new Connection(reload(instance), qr);
    }

    @Override
    public Connection current(Principal caller, String idOrName) {
        var instance = access.resolve(caller, idOrName);
        return new Connection(instance, showingQr(instance));
    }

    @Override
    public CurrentQr currentQr(Principal caller, String idOrName) {
        var instance = access.resolve(caller, idOrName);
        if (instance.status() == InstanceStatus.CONNECTED) {
            throw new ConflictException("the instance is connected: there is no QR code to scan");
        }
        return showingQr(instance).orElseThrow(() -> new ConflictException(
                "no pairing is under way: POST /v1/instances/" + instance.name() + "/connect to start one"));
    }

    @Override
    public PairingCode pairingCode(Principal caller, String idOrName, PairingCodeCommand command) {
        var instance = access.resolve(caller, idOrName);
        if (instance.hasPaired()) {
            throw new ConflictException("the instance is already linked to " + instance.account().phoneNumber()
                    + "; log it out first to link another number");
        }
        return engine.requestPairingCode(instance.id(), command.phoneNumber(), firstQrWait, proxyOf(instance));
    }

    @Override
    public Instance disconnect(Principal caller, String idOrName) {
        var instance = access.resolve(caller, idOrName);
        engine.stop(instance.id());
        return reload(instance);
    }

    @Override
    public Instance logout(Principal caller, String idOrName) {
        var instance = access.resolve(caller, idOrName);
        if (!instance.hasPaired()) {
            throw new ConflictException("the instance is not linked to a WhatsApp account");
        }
        engine.logout(instance.id(), proxyOf(instance));
        return reload(instance);
    }

    @Override
    public Instance restart(Principal caller, String idOrName) {
        var instance = access.resolve(caller, idOrName);
        if (!instance.hasPaired()) {
            throw new ConflictException("the instance has never been linked: connect it and scan its QR code");
        }
        engine.stop(instance.id());
        engine.start(instance.id(), proxyOf(instance));
        return reload(instance);
    }

    @Override
    public List<Instance> linkedDevices(Principal caller) {
        if (!caller.isAccount()) {
            throw new ForbiddenException("this route needs an account token");
        }
        return instances.listLinked(caller.tenantId());
    }

    @Override
    public int resumeAll() {
        var resumable = instances.listAllLinked().stream()
                .filter(instance -> instance.statusReason() == null || !instance.statusReason().stopsAutomaticReconnect())
                .toList();
        resumable.forEach(instance -> engine.start(instance.id(), proxyOf(instance)));
        return resumable.size();
    }

    @Override
    public void connecting(UUID instanceId) {
        apply(instanceId, InstanceStatus.CONNECTING, null, instance -> instance.startConnecting(clock.instant()));
    }

    @Override
    public void qrShown(UUID instanceId, String qr, java.time.Instant expiresAt) {
        transactions.run(() -> instances.findLive(instanceId).ifPresent(instance -> {
            var showing = instance;
            if (instance.status() != InstanceStatus.QR && !instance.status().canMoveTo(InstanceStatus.QR)) {
                LOG.log(Level.WARNING, "ignored a QR code for instance {0}, which is {1}", instanceId,
                        instance.status().wireName());
                return;
            }
            if (instance.status() != InstanceStatus.QR) {
                showing = record(instance.showQr(clock.instant()));
            }
            qrs.show(instanceId, qr, expiresAt);
            events.append(showing, showing.rotateQr(qr, expiresAt, clock.instant()));
            metrics.pairing(PairingOutcome.QR_SHOWN);
        }));
    }

    @Override
    public void connected(UUID instanceId, LinkedAccount account) {
        transactions.run(() -> instances.findLive(instanceId).ifPresent(instance -> {
            var current = instance;
            if (current.status() != InstanceStatus.CONNECTING && current.status().canMoveTo(InstanceStatus.CONNECTING)) {
                current = record(current.startConnecting(clock.instant()));
            }
            qrs.clear(instanceId);
            recordIfAllowed(current, c -> c.markConnected(account, clock.instant()));
            if (!instance.hasPaired()) {
                metrics.pairing(PairingOutcome.PAIRED);
            }
        }));
    }

    @Override
    public void disconnected(UUID instanceId, DisconnectReason reason) {
        apply(instanceId, InstanceStatus.DISCONNECTED, reason,
                instance -> instance.markDisconnected(reason, clock.instant()));
        if (reason == DisconnectReason.QR_TIMEOUT) {
            metrics.pairing(PairingOutcome.QR_TIMEOUT);
        } else if (reason == DisconnectReason.PAIRING_CODE_REJECTED) {
            metrics.pairing(PairingOutcome.CODE_REJECTED);
        }
    }

    @Override
    public void failed(UUID instanceId) {
        apply(instanceId, InstanceStatus.FAILED, null, instance -> instance.markFailed(clock.instant()));
    }

    /** A report of the status the instance already has changes nothing and emits nothing. */
    private void apply(UUID instanceId, InstanceStatus target, DisconnectReason reason,
                       Function<Instance, Instance.Change> move) {
        transactions.run(() -> instances.findLive(instanceId).ifPresent(instance -> {
            if (target != InstanceStatus.QR) {
                qrs.clear(instanceId);
            }
            if (instance.status() == target && instance.statusReason() == reason) {
                return;
            }
            recordIfAllowed(instance, move);
        }));
    }

    private void recordIfAllowed(Instance instance, Function<Instance, Instance.Change> move) {
        try {
            record(move.apply(instance));
        } catch (IllegalTransitionException e) {
            // the engine's view wins on the next report; a stale one must not break the session
            LOG.log(Level.WARNING, "ignored session report for instance {0}: {1}", instance.id(), e.getMessage());
        }
    }

    private Instance record(Instance.Change change) {
        instances.update(change.instance());
        events.append(change.instance(), change.event());
        return change.instance();
    }

    private Optional<CurrentQr> showingQr(Instance instance) {
        if (instance.status() != InstanceStatus.QR) {
            return Optional.empty();
        }
        return qrs.current(instance.id()).filter(qr -> qr.expiresAt().isAfter(clock.instant()));
    }

    private ponte.domain.proxy.EffectiveProxy proxyOf(Instance instance) {
        return proxies.effectiveProxy(instance.tenantId(), instance.id());
    }

    private Instance reload(Instance instance) {
        return instances.findLive(instance.id()).orElse(instance);
    }
}
