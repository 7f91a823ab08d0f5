package ponte.application.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import ponte.application.error.ForbiddenException;
import ponte.application.error.UnavailableException;
import ponte.application.model.LeaseFence;
import ponte.application.port.in.NodeSessionsUseCase;
import ponte.application.port.in.SessionEventsUseCase;
import ponte.application.port.out.GatewayMetrics;
import ponte.application.port.out.GatewayMetrics.LeaseOutcome;
import ponte.application.port.out.LeaseStore;
import ponte.application.model.GatewayNode;
import ponte.application.port.out.SessionControlPort;
import ponte.application.port.out.RemoteSessions;
import ponte.application.port.out.SessionDirectory;
import ponte.application.port.out.WhatsAppSessionPort;
import ponte.domain.auth.Principal;
import ponte.domain.instance.DisconnectReason;
import ponte.domain.instance.InstanceStatus;
import ponte.domain.proxy.EffectiveProxy;

/**
 * Which sessions this node runs, decided by leases. It stands between the use cases and the engine: every start
 * (connect, restart, pair-code, logout's brief login) first holds the instance's lease, taken in one statement when
 * this node does not hold it yet and costing nothing when it does; a command for an instance another node holds is
 * carried to that node ({@link RemoteSessions}). Its rounds ({@link #tick()}) renew every lease in one statement, stop what was lost,
 * hand surplus over and take free or expired leases; {@link #enforceDeadline()} stops everything before the leases
 * can lapse when renewals fail. The outgoing queue claims a row only with the fence this node holds
 * ({@link #fence(UUID)}).
 */
final class SessionOwnershipService implements NodeSessionsUseCase, SessionControlPort, WhatsAppSessionPort,
        Fencing {
    private static final System.Logger LOG = System.getLogger(SessionOwnershipService.class.getName());
    /** The reasons after which a session does not resume by itself, as the lease store matches them. */
    private static final Set<String> STOPPING = Arrays.stream(DisconnectReason.values())
            .filter(DisconnectReason::stopsAutomaticReconnect).map(DisconnectReason::wireName)
            .collect(Collectors.toUnmodifiableSet());

    private final LeaseStore leases;
    private final SessionControlPort engine;
    private final WhatsAppSessionPort running;
    private final SessionDirectory directory;
    private final SessionEventsUseCase reports;
    private final ProxyService proxies;
    private final RemoteSessions remote;
    private final GatewayMetrics metrics;
    private final LeaseSettings settings;
    private final LongSupplier nanos;
    /** The leases this node holds, with the epoch each was taken with. */
    private final ConcurrentHashMap<UUID, LeaseFence> held = new ConcurrentHashMap<>();
    /** Instances a command is working on right now: a round leaves them alone. */
    private final Set<UUID> busy = ConcurrentHashMap.newKeySet();
    /** Held instances whose session the last round found not running here. */
    private final Set<UUID> notRunningBefore = new java.util.HashSet<>();
    /** Monotonic time at which the last successful renewal was sent (its expiry is at least this plus the lease). */
    private volatile long renewedAt;
    private volatile boolean leaving;

    SessionOwnershipService(LeaseStore leases, SessionControlPort engine, WhatsAppSessionPort running,
                            SessionDirectory directory, SessionEventsUseCase reports, ProxyService proxies,
                            RemoteSessions remote, GatewayMetrics metrics, LeaseSettings settings,
                            LongSupplier nanos) {
        this.leases = leases;
        this.engine = engine;
        this.running = running;
        this.directory = directory;
        this.reports = reports;
        this.proxies = proxies;
        this.remote = remote;
        this.metrics = metrics;
        this.settings = settings;
        this.nanos = nanos;
        this.renewedAt = nanos.getAsLong();
    }

    @Override
    public UUID node() {
        return settings.nodeId();
    }

    @Override
    public int join() {
        leases.join(settings.node());
        renewedAt = nanos.getAsLong();
        return round();
    }

    @Override
    public Duration tick() {
        if (!leaving) {
            round();
        }
        return settings.renewEvery();
    }

    /** One round; returns how many sessions it started. */
    private synchronized int round() {
        long sent = nanos.getAsLong();
        List<LeaseFence> renewed;
        try {
            renewed = leases.renew(node(), settings.leaseTime());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "renewing this node''s leases failed ({0}); its sessions stop "
                    + "{1} s after the last renewal unless one succeeds", e.getMessage(),
                    settings.stopAfter().toSeconds());
            return 0;
        }
        if (nanos.getAsLong() - sent > settings.stopAfter().toNanos()) {
            // the answer came too late to vouch for anything: the deadline has stopped (or will stop) the sessions
            return 0;
        }
        renewedAt = sent;
        var still = renewed.stream().collect(Collectors.toMap(LeaseFence::instanceId, fence -> fence));
        var lost = held.keySet().stream().filter(id -> !still.containsKey(id) && !busy.contains(id)).toList();
        lost.forEach(id -> {
            held.remove(id);
            engine.release(id);
        });
        if (!lost.isEmpty()) {
            metrics.leases(LeaseOutcome.LOST, lost.size());
            LOG.log(System.Logger.Level.WARNING, "{0} lease(s) lost (expired or taken over); their sessions stopped "
                    + "here", lost.size());
        }
        // leases this node still holds but whose sessions the deadline stopped (the database came back in time):
        // resumable ones start again here, the others are released
        var orphans = still.keySet().stream().filter(id -> !held.containsKey(id) && !busy.contains(id)).toList();
        var release = new ArrayList<UUID>();
        for (var id : orphans) {
            if (directory.findLive(id).filter(SessionOwnershipService::resumable).isPresent()) {
                held.put(id, still.get(id));
                startTaken(id);
            } else {
                release.add(id);
            }
        }
        leases.release(node(), release);
        // a session that ended here by itself (logged out, replaced, stopped by its user) needs no lease; one seen
        // not running in two rounds in a row, so that a session between two connections is not mistaken for one
        var notRunning = held.keySet().stream().filter(id -> !busy.contains(id) && !running.isRunning(id))
                .collect(Collectors.toSet());
        var ended = notRunning.stream().filter(notRunningBefore::contains).toList();
        notRunningBefore.clear();
        notRunningBefore.addAll(notRunning);
        notRunningBefore.removeAll(ended);
        handOver(ended, false);
        int started = 0;
        try {
            // pairing sessions hold leases too but are nobody else's to resume: only resumable ones are balanced
            var fleet = leases.fleet(node(), settings.leaseTime(), STOPPING);
            int share = fairShare(fleet);
            if (fleet.heldResumable() > share) {
                handOver(surplus(fleet.heldResumable() - share, share), true);
            } else if (fleet.heldResumable() < share) {
                started = take(share - fleet.heldResumable());
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "balancing this node''s leases failed: {0}", e.getMessage());
        }
        metrics.sessionsHeld(held.size());
        return started;
    }

    /** Every live node's even part of the resumable instances, rounded up, capped by this node's limit. */
    private int fairShare(LeaseStore.Fleet fleet) {
        int nodes = Math.max(1, fleet.liveNodes());
        int share = (fleet.resumable() + nodes - 1) / nodes;
        return settings.maxSessions().map(max -> Math.min(max, share)).orElse(share);
    }

    /**
     * How many to hand over this round: the whole surplus over the limit at once, a surplus over the fair share in
     * slices so that a joining node gets its share over the hand-over window, not in one burst.
     */
    private List<UUID> surplus(int excess, int share) {
        long rounds = Math.max(1, settings.handOverWindow().toNanos() / settings.renewEvery().toNanos());
        int slice = (int) Math.max(1, (share + rounds - 1) / rounds);
        int count = settings.maxSessions().filter(max -> held.size() > max).isPresent() ? excess
                : Math.min(excess, slice);
        return held.keySet().stream().filter(id -> !busy.contains(id)).sorted()
                .filter(id -> directory.findLive(id).filter(i -> i.hasPaired()).isPresent())
                .limit(count).toList();
    }

    /**
     * Stops these sessions here and releases their leases for another node; {@code report} says so on the
     * instances ({@code gateway_stopped}, resumed by whoever takes them).
     */
    private void handOver(List<UUID> ids, boolean report) {
        if (ids.isEmpty()) {
            return;
        }
        for (var id : ids) {
            engine.release(id);
            if (report) {
                reports.disconnected(id, DisconnectReason.GATEWAY_STOPPED);
            }
        }
        leases.release(node(), ids);
        ids.forEach(held::remove);
        metrics.leases(LeaseOutcome.HANDED_OVER, ids.size());
    }

    /** Takes up to {@code count} free or expired leases and starts their sessions. */
    private int take(int count) {
        var taken = leases.acquireResumable(node(), count, STOPPING, settings.leaseTime());
        if (taken.isEmpty()) {
            return 0;
        }
        metrics.leases(LeaseOutcome.TAKEN, taken.size());
        int started = 0;
        for (var fence : taken) {
            held.put(fence.instanceId(), fence);
            try {
                startTaken(fence.instanceId());
                started++;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "instance " + fence.instanceId() + ": starting its session "
                        + "failed; the lease is handed back", e);
                handOver(List.of(fence.instanceId()), false);
            }
        }
        return started;
    }

    /**
     * A session taken from a node that died still says it runs: it first becomes {@code disconnected}
     * ({@code gateway_stopped}), then starts here.
     */
    private void startTaken(UUID id) {
        var instance = directory.findLive(id);
        if (instance.isEmpty()) {
            return;
        }
        if (isActive(instance.get().status()) && !running.isRunning(id)) {
            reports.disconnected(id, DisconnectReason.GATEWAY_STOPPED);
        }
        engine.start(id, proxies.effectiveProxy(instance.get().tenantId(), id));
    }

    private static boolean resumable(ponte.domain.instance.Instance instance) {
        return instance.hasPaired() && (instance.statusReason() == null
                || !instance.statusReason().stopsAutomaticReconnect());
    }

    private static boolean isActive(InstanceStatus status) {
        return status == InstanceStatus.QR || status == InstanceStatus.CONNECTING
                || status == InstanceStatus.CONNECTED;
    }

    @Override
    public int enforceDeadline() {
        if (held.isEmpty() || nanos.getAsLong() - renewedAt <= settings.stopAfter().toNanos()) {
            return 0;
        }
        var stopped = new ArrayList<>(held.keySet());
        stopped.forEach(id -> {
            held.remove(id);
            engine.release(id);
        });
        metrics.leases(LeaseOutcome.LOST, stopped.size());
        metrics.sessionsHeld(held.size());
        LOG.log(System.Logger.Level.WARNING, "no lease renewal for {0} s: stopped this node''s {1} session(s) "
                + "before their leases can expire", settings.stopAfter().toSeconds(), stopped.size());
        return stopped.size();
    }

    @Override
    public int leave(Runnable stopEngine) {
        leaving = true;
        synchronized (this) {
            var here = List.copyOf(held.keySet());
            var active = here.stream().filter(running::isRunning).toList();
            stopEngine.run();
            active.forEach(id -> reports.disconnected(id, DisconnectReason.GATEWAY_STOPPED));
            held.clear();
            leases.leave(node());
            metrics.leases(LeaseOutcome.HANDED_OVER, here.size());
            metrics.sessionsHeld(0);
            return active.size();
        }
    }

    @Override
    public List<GatewayNode> nodes(Principal caller) {
        if (!caller.isAdmin()) {
            throw new ForbiddenException("the gateway nodes are the operator's: this route needs the admin token");
        }
        return leases.nodes();
    }

    @Override
    public Optional<UUID> owner(UUID instanceId) {
        if (held.containsKey(instanceId)) {
            return Optional.of(node());
        }
        return leases.holder(instanceId).map(LeaseStore.Holder::node);
    }

    @Override
    public Optional<LeaseFence> fence(UUID instanceId) {
        return Optional.ofNullable(held.get(instanceId));
    }

    @Override
    public java.util.OptionalLong leaseEpoch(UUID instanceId) {
        var fence = held.get(instanceId);
        return fence == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(fence.epoch());
    }

    /** The lease moved on (taken over after this node missed its renewals): the session stops here at once. */
    @Override
    public void refused(UUID instanceId) {
        if (held.remove(instanceId) != null) {
            engine.release(instanceId);
            metrics.leases(LeaseOutcome.LOST, 1);
        }
    }

    // ---- the engine, behind the lease ----

    @Override
    public void start(UUID instanceId, EffectiveProxy proxy) {
        command(instanceId, () -> engine.start(instanceId, proxy), node -> remote.start(node, instanceId));
    }

    @Override
    public void stop(UUID instanceId) {
        if (!held.containsKey(instanceId)) {
            var holder = leases.holder(instanceId);
            if (holder.isPresent() && !holder.get().node().equals(node())) {
                remote.stop(holder.get().node(), instanceId);
                return;
            }
        }
        // the lease stays until the next round finds no session: a restart (stop, then start) stays on this node
        engine.stop(instanceId);
    }

    @Override
    public void release(UUID instanceId) {
        engine.release(instanceId);
        giveUp(instanceId);
    }

    @Override
    public void logout(UUID instanceId, EffectiveProxy proxy) {
        command(instanceId, () -> {
            engine.logout(instanceId, proxy);
            giveUp(instanceId);
        }, node -> remote.logout(node, instanceId));
    }

    @Override
    public void discard(UUID instanceId) {
        var holder = held.containsKey(instanceId) ? Optional.<LeaseStore.Holder>empty() : leases.holder(instanceId);
        // the credentials go wherever the session runs; the owner's next renewal skips a deleted instance and
        // stops its session there
        engine.discard(instanceId);
        giveUp(instanceId);
        holder.filter(h -> !h.node().equals(node())).ifPresent(h -> remote.discard(h.node(), instanceId));
    }

    @Override
    public PairingCode requestPairingCode(UUID instanceId, String phoneNumber, Duration wait, EffectiveProxy proxy) {
        var code = new PairingCode[1];
        command(instanceId, () -> code[0] = engine.requestPairingCode(instanceId, phoneNumber, wait, proxy),
                node -> code[0] = remote.pairingCode(node, instanceId, phoneNumber, wait));
        return code[0];
    }

    @Override
    public boolean isOnline(UUID instanceId) {
        return running.isOnline(instanceId);
    }

    /**
     * Whether the session runs here or on another node (which then holds its lease): a proxy change must reach
     * it wherever it runs.
     */
    @Override
    public boolean isRunning(UUID instanceId) {
        if (running.isRunning(instanceId)) {
            return true;
        }
        return !held.containsKey(instanceId)
                && leases.holder(instanceId).filter(holder -> !holder.node().equals(node())).isPresent();
    }

    @Override
    public Reconnect reconnect(UUID instanceId, EffectiveProxy proxy) {
        if (held.containsKey(instanceId)) {
            return running.reconnect(instanceId, proxy);
        }
        var holder = leases.holder(instanceId);
        if (holder.isPresent() && !holder.get().node().equals(node())) {
            remote.reconnect(holder.get().node(), instanceId);
            return Reconnect.SCHEDULED;
        }
        return running.reconnect(instanceId, proxy);
    }

    /**
     * Runs {@code here} once this node holds the instance's lease (taking it when it is free or expired), or hands
     * the command to the node that holds it.
     */
    private void command(UUID instanceId, Runnable here, java.util.function.Consumer<UUID> elsewhere) {
        busy.add(instanceId);
        try {
            if (!held.containsKey(instanceId)) {
                var taken = leases.acquire(node(), instanceId, settings.leaseTime());
                if (taken.isEmpty()) {
                    var holder = leases.holder(instanceId);
                    if (holder.isEmpty()) {
                        throw new UnavailableException("the instance's session is changing nodes; try again");
                    }
                    elsewhere.accept(holder.get().node());
                    return;
                }
                held.put(instanceId, taken.get());
                metrics.leases(LeaseOutcome.TAKEN, 1);
                directory.findLive(instanceId).filter(i -> isActive(i.status()) && !running.isRunning(instanceId))
                        .ifPresent(i -> reports.disconnected(instanceId, DisconnectReason.GATEWAY_STOPPED));
            }
            here.run();
        } finally {
            busy.remove(instanceId);
        }
    }

    /** The session no longer runs here on purpose: its lease is released for whoever needs it next. */
    private void giveUp(UUID instanceId) {
        boolean mine = busy.add(instanceId);
        try {
            if (held.remove(instanceId) != null) {
                leases.release(node(), List.of(instanceId));
                metrics.leases(LeaseOutcome.HANDED_OVER, 1);
            }
        } finally {
            if (mine) {
                busy.remove(instanceId);
            }
        }
    }
}
