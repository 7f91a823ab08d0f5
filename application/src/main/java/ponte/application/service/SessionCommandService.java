package ponte.application.service;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import ponte.application.error.ConflictException;
import ponte.application.error.ForbiddenException;
import ponte.application.model.CurrentQr;
import ponte.application.model.PairingCode;
import ponte.application.port.in.SessionLifecycleUseCase;
import ponte.application.port.out.InstanceSignals;
import ponte.application.port.out.InstanceStore;
import ponte.application.port.out.PairingQrStore;
import ponte.application.port.out.SessionControlPort;
import ponte.application.port.out.SessionDirectory;
import ponte.domain.auth.Principal;
import ponte.domain.instance.Instance;
import ponte.domain.instance.InstanceStatus;

/**
 * The user's side of the session lifecycle: commands handed to the engine, and what the session shows. What the
 * engine reports back is {@link SessionReportService}'s.
 */
final class SessionCommandService implements SessionLifecycleUseCase {
    private final InstanceStore instances;
    private final SessionDirectory directory;
    private final InstanceAccess access;
    private final PairingQrStore qrs;
    private final InstanceSignals signals;
    private final SessionControlPort engine;
    private final ProxyService proxies;
    private final Clock clock;
    private final Duration firstQrWait;

    SessionCommandService(InstanceStore instances, SessionDirectory directory, PairingQrStore qrs,
                          InstanceSignals signals, SessionControlPort engine, ProxyService proxies, Clock clock,
                          Duration firstQrWait) {
        this.instances = instances;
        this.directory = directory;
        this.access = new InstanceAccess(instances);
        this.qrs = qrs;
        this.signals = signals;
        this.engine = engine;
        this.proxies = proxies;
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
        long seen = signals.version(instance.id());
        var before = qrs.current(instance.id());
        engine.start(instance.id(), proxyOf(instance));
        if (instance.hasPaired()) {
            return new Connection(reload(instance), Optional.empty());
        }
        var qr = awaitNewQr(instance, before, seen);
        return new Connection(reload(instance), qr);
    }

    /** Woken by the instance's events (the QR rotation is one), whichever node runs the session. */
    private Optional<CurrentQr> awaitNewQr(Instance instance, Optional<CurrentQr> before, long seen) {
        long deadline = System.nanoTime() + firstQrWait.toNanos();
        try {
            while (true) {
                var current = qrs.current(instance.id());
                if (current.isPresent() && !current.equals(before)) {
                    return current;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                seen = signals.awaitAfter(instance.id(), seen, Duration.ofNanos(left));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    @Override
    public Connection current(Principal caller, String idOrName) {
        var instance = access.resolve(caller, idOrName);
        return new Connection(instance, showingQr(instance));
    }

    @Override
    public Connection next(Principal caller, String idOrName, Connection seen, Duration wait)
            throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        var id = seen.instance().id();
        while (true) {
            long version = signals.version(id);
            var now = current(caller, idOrName);
            long left = deadline - System.nanoTime();
            if (!now.sameAs(seen) || left <= 0) {
                return now;
            }
            signals.awaitAfter(id, version, Duration.ofNanos(left));
        }
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
        var code = engine.requestPairingCode(instance.id(), command.phoneNumber(), firstQrWait, proxyOf(instance));
        return new PairingCode(code.code(), code.expiresAt());
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
        return directory.findLive(instance.id()).orElse(instance);
    }
}
