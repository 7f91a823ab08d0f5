package ponte.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import ponte.application.error.ForbiddenException;
import ponte.application.model.GatewayNode;
import ponte.application.model.LeaseFence;
import ponte.application.port.out.GatewayMetrics;
import ponte.application.port.out.LeaseStore;
import ponte.application.port.out.RemoteSessions;
import ponte.application.port.out.SessionControlPort;
import ponte.application.port.out.Transactions;
import ponte.domain.auth.Principal;
import ponte.domain.auth.TokenKind;
import ponte.domain.instance.DisconnectReason;
import ponte.domain.instance.Instance;
import ponte.domain.instance.InstanceEvent;
import ponte.domain.instance.InstanceName;
import ponte.domain.instance.InstanceStatus;
import ponte.domain.instance.LinkedAccount;
import ponte.domain.proxy.EffectiveProxy;

/**
 * The node's leases over an in-memory lease store whose clock is the "database's" (advanced by the test) and a
 * monotonic clock of the node's own (also the test's): which sessions run here, when they stop, what is handed over.
 */
class SessionOwnershipServiceTest {
    private static final Instant NOW = Instant.parse("2026-11-30T09:00:00Z");
    private static final LinkedAccount PHONE = new LinkedAccount("5511999999999", "111@lid", "Shop", "chrome");
    private static final Duration LEASE = Duration.ofSeconds(20);
    private static final UUID HERE = UUID.fromString("00000000-0000-0000-0000-0000000000a1");
    private static final UUID OTHER = UUID.fromString("00000000-0000-0000-0000-0000000000b2");

    private final InMemoryPorts.Instances instances = new InMemoryPorts.Instances();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final Transactions direct = new Transactions() {
        @Override
        public <T> T inTransaction(Supplier<T> work) {
            return work.get();
        }

        @Override
        public void afterCommit(Runnable action) {
            action.run();
        }
    };
    private final SessionReportService reports = new SessionReportService(instances, instances,
            new NoQrs(), (instance, event) -> events.add(instance.name().value() + ":" + describe(event)), direct,
            Clock.fixed(NOW, ZoneOffset.UTC), GatewayMetrics.NONE);
    private final Engine engine = new Engine();
    private final MemoryLeases leases = new MemoryLeases();
    private final List<String> remote = new CopyOnWriteArrayList<>();
    private long monotonic = 1_000_000_000L;
    private Optional<Integer> limit = Optional.empty();
    private SessionOwnershipService node = node(HERE);

    @Test
    void joiningTakesTheLinkedInstancesNoNodeRunsAndADeadNodesSessionFirstSaysItStopped() {
        var a = linked("a");
        var b = linked("b");
        var stopped = linked("stopped");
        reports.disconnected(stopped.id(), DisconnectReason.MANUAL);
        unlinked("pairing");
        events.clear();

        int started = node.join();

        assertThat(started).isEqualTo(2);
        assertThat(engine.started).containsExactlyInAnyOrder(a.id(), b.id());
        assertThat(events).as("a and b were left connected by a node that died").containsExactlyInAnyOrder(
                "a:connected→disconnected(gateway_stopped)", "a:disconnected→connecting",
                "b:connected→disconnected(gateway_stopped)", "b:disconnected→connecting");
        assertThat(leases.rows.get(a.id()).node).isEqualTo(HERE);
        assertThat(leases.rows.get(a.id()).epoch).isOne();
        assertThat(leases.rows).doesNotContainKey(stopped.id());
    }

    @Test
    void aValidLeaseOfAnotherNodeIsNotTakenAnExpiredOneIsWithAGreaterEpoch() {
        var a = linked("a");
        leases.rows.put(a.id(), new Row(OTHER, 4, leases.now.plus(LEASE)));
        leases.liveNodes = 2;

        node.join();
        assertThat(engine.started).as("held by a live node").isEmpty();

        leases.now = leases.now.plus(LEASE);
        node.tick();
        assertThat(engine.started).containsExactly(a.id());
        assertThat(leases.rows.get(a.id()).node).isEqualTo(HERE);
        assertThat(leases.rows.get(a.id()).epoch).as("a new owner, a new epoch").isEqualTo(5);
        assertThat(node.fence(a.id())).contains(new LeaseFence(a.id(), HERE, 5));
    }

    @Test
    void whenRenewalsFailTheSessionsStopAfterTheDeadlineOnTheMonotonicClockNotBefore() {
        var a = linked("a");
        node.join();
        leases.failing = true;

        monotonic += Duration.ofSeconds(5).toNanos();
        node.tick();
        monotonic += Duration.ofSeconds(6).toNanos();
        assertThat(node.enforceDeadline()).as("11 s after the last renewal: still inside 12 s").isZero();
        assertThat(engine.released).isEmpty();

        monotonic += Duration.ofSeconds(2).toNanos();
        assertThat(node.enforceDeadline()).isOne();
        assertThat(engine.released).containsExactly(a.id());
        assertThat(node.fence(a.id())).isEmpty();
        assertThat(events).as("nothing is reported: the database may be gone, the next owner reports")
                .noneMatch(e -> e.contains("gateway_stopped") && !e.startsWith("a:connected"));
        assertThat(Duration.ofSeconds(13)).isLessThan(LEASE);
    }

    @Test
    void whenTheDatabaseAnswersAgainBeforeTheLeasesLapsedTheStoppedSessionsStartAgainHere() {
        var a = linked("a");
        node.join();
        leases.failing = true;
        monotonic += Duration.ofSeconds(13).toNanos();
        node.enforceDeadline();
        assertThat(engine.running).isEmpty();

        leases.failing = false;
        node.tick();

        assertThat(engine.running).containsExactly(a.id());
        assertThat(node.fence(a.id())).contains(new LeaseFence(a.id(), HERE, 1));
    }

    @Test
    void aRenewalThatAnswersAfterTheDeadlineVouchesForNothing() {
        linked("a");
        node.join();
        leases.onRenew = () -> monotonic += Duration.ofSeconds(13).toNanos();
        node.tick();
        assertThat(node.enforceDeadline()).as("the renewal was sent 13 s ago").isOne();
    }

    @Test
    void aLeaseTheRenewalNoLongerReturnsWasLostAndItsSessionStopsQuietly() {
        var a = linked("a");
        node.join();
        leases.rows.put(a.id(), new Row(OTHER, 2, leases.now.plus(LEASE)));
        leases.liveNodes = 2;
        events.clear();

        node.tick();

        assertThat(engine.released).containsExactly(a.id());
        assertThat(events).isEmpty();
        assertThat(node.fence(a.id())).isEmpty();
    }

    @Test
    void aJoiningNodeGetsItsFairShareASliceEachRound() {
        for (int i = 0; i < 40; i++) {
            linked("i" + i);
        }
        node.join();
        assertThat(engine.running).hasSize(40);

        leases.liveNodes = 2;
        node.tick();
        assertThat(engine.running).as("a slice of the surplus per round (share 20 over 12 rounds)").hasSize(38);
        assertThat(leases.rows.values().stream().filter(r -> r.node == null)).hasSize(2);
        for (int round = 0; round < 20; round++) {
            node.tick();
        }
        assertThat(engine.running).hasSize(20);
        assertThat(events).as("each handed-over instance says so until its new owner reports")
                .filteredOn(e -> e.endsWith(":connecting→disconnected(gateway_stopped)")).hasSize(20);
    }

    @Test
    void theLimitPerNodeCapsWhatItTakes() {
        for (int i = 0; i < 5; i++) {
            linked("i" + i);
        }
        limit = Optional.of(3);
        node = node(HERE);
        node.join();
        assertThat(engine.running).hasSize(3);
    }

    @Test
    void aGracefulStopReportsAfterTheEngineStoppedAndReleasesEveryLease() {
        var a = linked("a");
        node.join();
        events.clear();
        var statusWhenEngineStopped = new ArrayList<InstanceStatus>();

        int stopped = node.leave(() -> {
            statusWhenEngineStopped.add(instances.findLive(a.id()).orElseThrow().status());
            engine.running.clear();
        });

        assertThat(stopped).isOne();
        assertThat(statusWhenEngineStopped).containsExactly(InstanceStatus.CONNECTING);
        assertThat(events).containsExactly("a:connecting→disconnected(gateway_stopped)");
        assertThat(leases.rows.get(a.id()).node).isNull();
        assertThat(leases.left).containsExactly(HERE);
    }

    @Test
    void aCommandTakesAFreeLeaseOnceAndOneHeldElsewhereGoesToItsOwner() {
        var fresh = unlinked("fresh");
        node.start(fresh.id(), EffectiveProxy.NONE);
        node.start(fresh.id(), EffectiveProxy.NONE);
        assertThat(leases.acquires).as("the second start costs no round trip").isOne();
        assertThat(engine.started).containsExactly(fresh.id(), fresh.id());

        var theirs = linked("theirs");
        leases.rows.put(theirs.id(), new Row(OTHER, 1, leases.now.plus(LEASE)));
        node.start(theirs.id(), EffectiveProxy.NONE);
        node.stop(theirs.id());
        assertThat(node.isRunning(theirs.id())).as("a proxy change must reach it there").isTrue();
        assertThat(node.reconnect(theirs.id(), EffectiveProxy.NONE))
                .isEqualTo(ponte.application.port.out.WhatsAppSessionPort.Reconnect.SCHEDULED);
        assertThat(remote).containsExactly("start " + theirs.id(), "stop " + theirs.id(), "reconnect " + theirs.id());
        assertThat(engine.started).doesNotContain(theirs.id());

        node.stop(fresh.id());
        assertThat(leases.rows.get(fresh.id()).node).as("kept for a restart's start").isEqualTo(HERE);
        node.tick();
        assertThat(leases.rows.get(fresh.id()).node).as("maybe between two connections").isEqualTo(HERE);
        node.tick();
        assertThat(leases.rows.get(fresh.id()).node).as("a stopped session needs no lease").isNull();
    }

    @Test
    void onlyTheAdminSeesTheNodes() {
        var account = new Principal(TokenKind.ACCOUNT, UUID.randomUUID(), UUID.randomUUID(), null);
        assertThatThrownBy(() -> node.nodes(account)).isInstanceOf(ForbiddenException.class);
    }

    // --- helpers

    private SessionOwnershipService node(UUID id) {
        var proxies = new ProxyService(new InMemoryPorts.Proxies(instances), new InstanceAccess(instances),
                direct, new InMemoryPorts.ReversingCipher(), engine, new InMemoryPorts.HeldBackground());
        var settings = new LeaseSettings(new LeaseStore.NodeRecord(id, "http://node", "test", limit), LEASE,
                Duration.ofMinutes(1));
        return new SessionOwnershipService(leases, engine, engine, instances, reports, proxies, new Remote(),
                GatewayMetrics.NONE, settings, () -> monotonic);
    }

    private Instance linked(String name) {
        var instance = unlinked(name);
        reports.connecting(instance.id());
        reports.connected(instance.id(), PHONE);
        return instance;
    }

    private Instance unlinked(String name) {
        var instance = Instance.create(UUID.randomUUID(), UUID.randomUUID(), new InstanceName(name), Map.of(), NOW)
                .instance();
        instances.insert(instance);
        return instance;
    }

    private static String describe(InstanceEvent event) {
        return switch (event) {
            case InstanceEvent.StatusChanged c -> c.from().wireName() + "→" + c.to().wireName()
                    + (c.reason() == null ? "" : "(" + c.reason().wireName() + ")");
            default -> event.getClass().getSimpleName();
        };
    }

    private final class Remote implements RemoteSessions {
        @Override
        public void start(UUID owner, UUID instanceId) {
            remote.add("start " + instanceId);
        }

        @Override
        public void stop(UUID owner, UUID instanceId) {
            remote.add("stop " + instanceId);
        }

        @Override
        public void logout(UUID owner, UUID instanceId) {
            remote.add("logout " + instanceId);
        }

        @Override
        public void discard(UUID owner, UUID instanceId) {
            remote.add("discard " + instanceId);
        }

        @Override
        public void reconnect(UUID owner, UUID instanceId) {
            remote.add("reconnect " + instanceId);
        }

        @Override
        public SessionControlPort.PairingCode pairingCode(UUID owner, UUID instanceId, String phoneNumber,
                                                          Duration wait) {
            remote.add("pair-code " + instanceId);
            return new SessionControlPort.PairingCode("ABCD-EFGH", NOW);
        }
    }

    /** Sessions that go connecting when started, and what was asked of it. */
    private final class Engine implements SessionControlPort, ponte.application.port.out.WhatsAppSessionPort {
        final List<UUID> started = new CopyOnWriteArrayList<>();
        final List<UUID> released = new CopyOnWriteArrayList<>();
        final Set<UUID> running = java.util.concurrent.ConcurrentHashMap.newKeySet();

        @Override
        public void start(UUID instanceId, EffectiveProxy proxy) {
            started.add(instanceId);
            running.add(instanceId);
            reports.connecting(instanceId);
        }

        @Override
        public void stop(UUID instanceId) {
            if (running.remove(instanceId)) {
                reports.disconnected(instanceId, DisconnectReason.MANUAL);
            }
        }

        @Override
        public void release(UUID instanceId) {
            released.add(instanceId);
            running.remove(instanceId);
        }

        @Override
        public void logout(UUID instanceId, EffectiveProxy proxy) {
            running.remove(instanceId);
        }

        @Override
        public void discard(UUID instanceId) {
            running.remove(instanceId);
        }

        @Override
        public PairingCode requestPairingCode(UUID instanceId, String phoneNumber, Duration wait,
                                              EffectiveProxy proxy) {
            running.add(instanceId);
            return new PairingCode("ABCD-EFGH", NOW);
        }

        @Override
        public boolean isRunning(UUID instanceId) {
            return running.contains(instanceId);
        }

        @Override
        public boolean isOnline(UUID instanceId) {
            return running.contains(instanceId);
        }

        @Override
        public Reconnect reconnect(UUID instanceId, EffectiveProxy proxy) {
            return Reconnect.CONNECTED;
        }
    }

    private static final class Row {
        UUID node;
        long epoch;
        Instant expires;

        Row(UUID node, long epoch, Instant expires) {
            this.node = node;
            this.epoch = epoch;
            this.expires = expires;
        }
    }

    /** The lease table with the database's clock ({@link #now}), as the SQL store behaves. */
    private final class MemoryLeases implements LeaseStore {
        final Map<UUID, Row> rows = new HashMap<>();
        final List<UUID> left = new ArrayList<>();
        Instant now = NOW;
        int liveNodes = 1;
        int acquires;
        boolean failing;
        Runnable onRenew = () -> { };

        private boolean valid(Row row) {
            return row.node != null && row.expires.isAfter(now);
        }

        private boolean resumable(Instance instance) {
            return instance.hasPaired() && (instance.statusReason() == null
                    || !instance.statusReason().stopsAutomaticReconnect());
        }

        @Override
        public void join(NodeRecord node) {}

        @Override
        public synchronized List<LeaseFence> renew(UUID node, Duration leaseTime) {
            if (failing) {
                throw new IllegalStateException("connection refused");
            }
            onRenew.run();
            var out = new ArrayList<LeaseFence>();
            rows.forEach((id, row) -> {
                if (node.equals(row.node) && valid(row)) {
                    row.expires = now.plus(leaseTime);
                    out.add(new LeaseFence(id, node, row.epoch));
                }
            });
            return out;
        }

        @Override
        public synchronized List<LeaseFence> acquireResumable(UUID node, int limit, Set<String> stopping,
                                                              Duration leaseTime) {
            var out = new ArrayList<LeaseFence>();
            for (var instance : instances.values()) {
                if (out.size() >= limit) {
                    break;
                }
                var row = rows.get(instance.id());
                if (resumable(instance) && (row == null || !valid(row))) {
                    out.add(take(node, instance.id(), leaseTime));
                }
            }
            return out;
        }

        private LeaseFence take(UUID node, UUID id, Duration leaseTime) {
            var row = rows.get(id);
            if (row == null) {
                row = new Row(node, 1, now.plus(leaseTime));
                rows.put(id, row);
            } else {
                row.epoch = node.equals(row.node) && valid(row) ? row.epoch : row.epoch + 1;
                row.node = node;
                row.expires = now.plus(leaseTime);
            }
            return new LeaseFence(id, node, row.epoch);
        }

        @Override
        public synchronized Optional<LeaseFence> acquire(UUID node, UUID instanceId, Duration leaseTime) {
            acquires++;
            var row = rows.get(instanceId);
            if (row != null && valid(row) && !node.equals(row.node)) {
                return Optional.empty();
            }
            return Optional.of(take(node, instanceId, leaseTime));
        }

        @Override
        public synchronized void release(UUID node, Collection<UUID> instanceIds) {
            instanceIds.forEach(id -> {
                var row = rows.get(id);
                if (row != null && node.equals(row.node)) {
                    row.node = null;
                    row.expires = now;
                }
            });
        }

        @Override
        public synchronized void leave(UUID node) {
            release(node, List.copyOf(rows.keySet()));
            left.add(node);
        }

        @Override
        public synchronized Fleet fleet(UUID node, Duration liveWithin, Set<String> stopping) {
            int resumable = 0;
            int held = 0;
            for (var instance : instances.values()) {
                if (resumable(instance)) {
                    resumable++;
                    var row = rows.get(instance.id());
                    if (row != null && valid(row) && node.equals(row.node)) {
                        held++;
                    }
                }
            }
            return new Fleet(liveNodes, resumable, held);
        }

        @Override
        public List<GatewayNode> nodes() {
            return List.of();
        }

        @Override
        public synchronized Optional<Holder> holder(UUID instanceId) {
            return Optional.ofNullable(rows.get(instanceId)).filter(this::valid)
                    .map(row -> new Holder(row.node, "http://other", row.epoch, row.expires));
        }
    }

    private static final class NoQrs implements ponte.application.port.out.PairingQrStore {
        @Override
        public void show(UUID instanceId, String qr, Instant expiresAt) {}

        @Override
        public Optional<ponte.application.model.CurrentQr> current(UUID instanceId) {
            return Optional.empty();
        }

        @Override
        public void clear(UUID instanceId) {}
    }
}
